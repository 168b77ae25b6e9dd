// Imports the built SDK by its package name, as a consumer would, and uses its two headline functions.
import { decideAccess, generatePrivacyGroupId } from "flexible-privacy-groups";

const id = generatePrivacyGroupId();
if (!/^[A-Za-z0-9+/]{43}=$/.test(id)) throw new Error(`generatePrivacyGroupId() gave ${id}`);
const zeroKey = `${"A".repeat(43)}=`; // 32 zero bytes
const decision = decideAccess([], zeroKey, { method: "priv_call", blockNumber: 1 });
if (decision.allowed !== false) throw new Error("a key that was never a member was allowed");
console.log("check:package: the built package imports by name and works");

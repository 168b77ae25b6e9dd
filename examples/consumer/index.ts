// A plain TypeScript consumer of the built package, type-checked by `npm run check:package`.
import { decideAccess, generatePrivacyGroupId, type MembershipChange } from "flexible-privacy-groups";

const groupId: string = generatePrivacyGroupId();
const history: MembershipChange[] = [];
const decision = decideAccess(history, groupId, { method: "priv_call", blockNumber: 1 });
export const allowed: boolean = decision.allowed;

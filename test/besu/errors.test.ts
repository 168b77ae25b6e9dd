import { expect } from "chai";
import {
  BesuErrorCode,
  BesuRpcError,
  EnclaveError,
  NonceTooLowError,
  PrivacyGroupNotFoundError,
  UnauthorizedError,
  besuRpcError,
} from "../../src";

describe("Besu's JSON-RPC errors, named", () => {
  const cases: [number, string, BesuErrorCode, typeof BesuRpcError][] = [
    [-50100, "Flexible Privacy group does not exist.", BesuErrorCode.GroupNotFound, PrivacyGroupNotFoundError],
    [-50100, "Unable to determine nonce for account in group.", BesuErrorCode.NonceUnavailable, BesuRpcError],
    [-50100, "Private from does not match enclave public key", BesuErrorCode.PrivateFromMismatch, BesuRpcError],
    [
      -50100,
      "Private transactions to flexible privacy groups must use privacyGroupId",
      BesuErrorCode.GroupIdRequired,
      BesuRpcError,
    ],
    [-50100, "Error finding flexible privacy group", BesuErrorCode.GroupLookupFailed, BesuRpcError],
    [-50100, "Error communicating with enclave", BesuErrorCode.EnclaveError, EnclaveError],
    [-50200, "EnclavePayloadNotFound", BesuErrorCode.EnclavePayloadNotFound, EnclaveError],
    [-32001, "Nonce too low", BesuErrorCode.NonceTooLow, NonceTooLowError],
    [-32000, "Execution reverted (CounterLimitReached)", BesuErrorCode.ExecutionReverted, BesuRpcError],
    [-32000, "Wrong chainId", BesuErrorCode.WrongChainId, BesuRpcError],
    [-32000, "Known transaction", BesuErrorCode.KnownTransaction, BesuRpcError],
    [-32009, "Gas price below configured minimum gas price", BesuErrorCode.GasPriceTooLow, BesuRpcError],
    [-40100, "Unauthorized", BesuErrorCode.Unauthorized, UnauthorizedError],
    [-32604, "Method not enabled", BesuErrorCode.MethodNotEnabled, BesuRpcError],
    [-32099, "something new", BesuErrorCode.RpcError, BesuRpcError],
  ];
  for (const [rpcCode, message, code, errorClass] of cases) {
    it(`${rpcCode} "${message}" → ${code}`, () => {
      const error = besuRpcError("eea_sendRawTransaction", { code: rpcCode, message, data: "0x01" });
      expect(error).to.be.instanceOf(errorClass);
      expect(error.name).to.equal(errorClass.name);
      expect(error).to.include({ code, rpcCode, rpcMessage: message, method: "eea_sendRawTransaction", data: "0x01" });
    });
  }

  it("keeps a malformed error object readable", () => {
    const error = besuRpcError("priv_call", { code: "x", message: 5 });
    expect(error.code).to.equal(BesuErrorCode.RpcError);
    expect(error.message).to.equal("priv_call: (no message) (NaN)");
  });
});

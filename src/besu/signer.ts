import {
  type BigNumberish,
  type BytesLike,
  type SignatureLike,
  Signature,
  SigningKey,
  computeAddress,
  getAddress,
  getBytes,
  getNumber,
} from "ethers";
import { nativeSecp256k1, nativeSign } from "../core/secp256k1";
import { PrivacySdkError } from "../core/errors";
import { parsePrivacyGroupId } from "../core/ids";
import { parseTesseraKey } from "../core/keys";
import {
  BesuErrorCode,
  NonceTooLowError,
  PrivateTransactionCancelError,
  PrivateTransactionDroppedError,
  PrivateTransactionFailedError,
  PrivateTransactionRevertedError,
} from "./errors";
import { PrivateNonceManager } from "../core/nonces";
import type { PrivacyProvider, PrivateTransactionReceipt } from "./provider";
import { PrivateTransaction } from "./transaction";
import { DEFAULT_PRIVATE_GAS_LIMIT } from "../core/constants";
import { diagnoseDrop } from "./drop";

/** Anything that signs a 32-byte digest with secp256k1: a KMS, an HSM, a remote signer. */
export interface DigestSigner {
  getAddress(): string | Promise<string>;
  /** Signs the digest as is (no prefix, no hashing); any recovery id encoding ethers' Signature.from reads. */
  signDigest(digest: string): SignatureLike | Promise<SignatureLike>;
}

/** An ethers Wallet (or HDNodeWallet), a SigningKey, or a DigestSigner. */
export type SigningSource = SigningKey | { readonly signingKey: SigningKey } | DigestSigner;

export interface PrivateSignerOptions {
  /** The chain ID to sign with (EIP-155); null signs without one (v = 27/28); default: the node's eth_chainId. */
  chainId?: BigNumberish | null;
  /** Private transactions run unmetered; the gas limit sizes only the marker transaction. Default 3,000,000. */
  gasLimit?: BigNumberish;
  /** The marker transaction's gas price. Default 0 (a free-gas network). */
  gasPrice?: BigNumberish;
  /** Milliseconds to wait for a private receipt. Default 120 000. */
  timeout?: number;
  /** How often one request is re-sent with a fresh nonce after an invalid-nonce outcome. Default 8. */
  maxAttempts?: number;
  /**
   * After a drop or a revert, cancel the transaction (see PrivateSigner.cancel) before `wait()` throws, so
   * it can never run later; if the cancel fails, `wait()` throws its PrivateTransactionCancelError. Default false.
   */
  cancelOnFailure?: boolean;
}

/** What to send in a group: `to` null or absent deploys `data` as a contract. */
export interface PrivateTransactionRequest {
  to?: string | null;
  data?: BytesLike;
  gasLimit?: BigNumberish;
  gasPrice?: BigNumberish;
}

/** A private transaction Besu accepted. `wait()` resolves on success and throws a named error otherwise. */
export interface SentPrivateTransaction {
  markerHash: string;
  nonce: number;
  privacyGroupId: string;
  transaction: PrivateTransaction;
  wait(): Promise<PrivateTransactionReceipt>;
}

/** The signer was given something it cannot sign with, or a digest signer's signature is not from its address. */
export class PrivateSignerError extends PrivacySdkError<"INVALID_SIGNER"> {}

/** `sentAtBlock`: the chain head just before sending, to tell a drop for a changed version (null: unknown). */
type Attempt = { markerHash: string; nonce: number; transaction: PrivateTransaction; epoch: number; sentAtBlock: number | null };

/**
 * Signs and sends private transactions for one Ethereum account and one enclave key.
 *
 * Nonces: sends to one group are numbered in call order from priv_getTransactionCount, without gaps or
 * collisions however many run at once. A private transaction that fails does not use its nonce, so every
 * later one in flight becomes invalid at execution: the signer then resynchronises with
 * priv_getTransactionCount and re-sends each of those with a fresh nonce (up to `maxAttempts`), so they
 * still land; the failed one rejects its `wait()` with a named error.
 */
export class PrivateSigner {
  readonly provider: PrivacyProvider;
  readonly enclaveKey: string;
  readonly #source: SigningSource;
  readonly #digestSigner: DigestSigner;
  /**
   * This ethers' own SigningKey signs right by construction; any other source (a digest signer such as a
   * KMS, or another ethers' key, accepted by its shape) has each signature checked by recovery.
   */
  readonly #checksSignatures: boolean;
  readonly #options: PrivateSignerOptions;
  readonly #nonces: PrivateNonceManager;
  #address: Promise<string> | null = null;
  #chainId: Promise<bigint | null> | null = null;

  constructor(
    source: SigningSource,
    enclaveKey: string,
    provider: PrivacyProvider,
    options: PrivateSignerOptions = {},
  ) {
    parseTesseraKey(enclaveKey);
    const key = signingKeyOf(source);
    this.#source = source;
    this.#digestSigner = key === null ? toDigestSigner(source) : keyDigestSigner(key);
    this.#checksSignatures = !(key instanceof SigningKey);
    this.enclaveKey = enclaveKey;
    this.provider = provider;
    this.#options = options;
    this.#nonces = new PrivateNonceManager(async (privacyGroupId) =>
      this.provider.getPrivateTransactionCount(await this.getAddress(), privacyGroupId),
    );
  }

  /** The same account and enclave key on another provider (e.g. another node, or another tenant's JWT). */
  connect(provider: PrivacyProvider): PrivateSigner {
    return new PrivateSigner(this.#source, this.enclaveKey, provider, this.#options);
  }

  getAddress(): Promise<string> {
    this.#address ??= Promise.resolve(this.#digestSigner.getAddress()).then((address) => getAddress(address));
    return this.#address;
  }

  /** The chain ID this signer signs with (null: none). */
  getChainId(): Promise<bigint | null> {
    if (this.#chainId === null) {
      const configured = this.#options.chainId;
      this.#chainId =
        configured === undefined
          ? this.provider.getNetwork().then((network) => network.chainId)
          : Promise.resolve(configured === null ? null : BigInt(configured));
    }
    return this.#chainId;
  }

  /**
   * Signs a private transaction. A signature not made by this ethers' own SigningKey must recover to the
   * signer's address (recovery costs a few milliseconds in JavaScript, more than the rest of a send to the
   * development network, so a key of its own is not checked).
   */
  async signTransaction(transaction: PrivateTransaction): Promise<PrivateTransaction> {
    const signed = transaction.clone();
    signed.signature = await this.#digestSigner.signDigest(signed.unsignedHash);
    const address = await this.getAddress();
    if (this.#checksSignatures && signed.from !== address) {
      throw new PrivateSignerError(
        "INVALID_SIGNER",
        `the signature recovers to ${signed.from}, not to the signer's address ${address}`,
      );
    }
    return signed;
  }

  /** The next nonce this signer will use in the group, resynchronising first if needed. */
  async getNonce(privacyGroupId: string): Promise<number> {
    return this.#nonces.next(privacyGroupId);
  }

  /** Forgets the nonces it counted, so the next send asks priv_getTransactionCount again. */
  resetNonces(): void {
    this.#nonces.reset();
  }

  /**
   * Sends a private transaction to the group: nonce, sign, eea_sendRawTransaction. Resolves once Besu accepted
   * it; `wait()` resolves to the private receipt on success, or throws PrivateTransactionRevertedError,
   * PrivateTransactionDroppedError, or PrivateTransactionFailedError (invalid, timeout, no receipt).
   */
  async sendTransaction(privacyGroupId: string, request: PrivateTransactionRequest): Promise<SentPrivateTransaction> {
    parsePrivacyGroupId(privacyGroupId);
    const first = await this.#submit(privacyGroupId, request);
    const outcome = this.#settle(privacyGroupId, request, first, 1);
    outcome.catch(() => undefined); // the caller sees it through wait(); never an unhandled rejection
    return {
      markerHash: first.markerHash,
      nonce: first.nonce,
      privacyGroupId,
      transaction: first.transaction,
      wait: () => outcome,
    };
  }

  /**
   * Makes a dropped or reverted transaction impossible to run later. A flexible group uses a private nonce
   * only on success, and the marker that carried the payload is public: anyone can send the same payload
   * again, and it runs once the group lets it (unlocked again, the sender a member again). cancel uses up
   * the nonce with a no-op private transaction (an empty call to the signer's own address) and resolves to
   * its receipt, or to null when another transaction already used the nonce. It refuses, with
   * PrivateTransactionCancelError, a transaction that succeeded, one whose earlier nonces are still unused,
   * and a cancel that was dropped too (the group is locked, or the sender is no longer a member).
   */
  async cancel(sent: Pick<SentPrivateTransaction, "markerHash" | "nonce" | "privacyGroupId">): Promise<PrivateTransactionReceipt | null> {
    const { markerHash, nonce, privacyGroupId } = sent;
    const original = await this.provider.getPrivateTransactionReceipt(markerHash);
    if (original?.outcome === "success") throw new PrivateTransactionCancelError(markerHash, "it succeeded", original);
    const nonces = this.#nonces.group(privacyGroupId);
    const noOp = await nonces.exclusive(async () => {
      const used = await this.provider.getPrivateTransactionCount(await this.getAddress(), privacyGroupId);
      if (used > nonce) return null;
      if (used < nonce) {
        throw new PrivateTransactionCancelError(
          markerHash,
          `its nonce is ${nonce}, but nonces from ${used} on are unused: cancel the transactions with those first`,
        );
      }
      const transaction = await this.#sign(privacyGroupId, { to: await this.getAddress() }, nonce);
      const noOpHash = await this.provider.sendPrivateTransaction(transaction);
      nonces.next = null; // the no-op may land or not: count again for the next send
      return noOpHash;
    });
    if (noOp === null) return null;
    const receipt = await this.provider.waitForPrivateTransactionReceipt(noOp, { timeout: this.#options.timeout });
    if (receipt.outcome === "success") return receipt;
    const used = await this.provider.getPrivateTransactionCount(await this.getAddress(), privacyGroupId);
    if (used > nonce) return null; // another transaction took the nonce first: the payload can no longer run
    throw new PrivateTransactionCancelError(
      markerHash,
      `the cancelling transaction (marker ${noOp}) was ${receipt.outcome === "dropped" ? "dropped too" : receipt.outcome}: ` +
        `the group may be locked, or the sender no longer a member; unlock the group (or add the sender's key ` +
        `again) and cancel again`,
      receipt,
    );
  }

  /** Numbers, signs and submits one transaction; serialised per group so nonces leave in order. */
  async #submit(privacyGroupId: string, request: PrivateTransactionRequest): Promise<Attempt> {
    const { value, nonce, epoch } = await this.#nonces.submit(
      privacyGroupId,
      async (nonce) => {
        const [transaction, sentAtBlock] = await Promise.all([this.#sign(privacyGroupId, request, nonce), this.#head()]);
        return { markerHash: await this.provider.sendPrivateTransaction(transaction), transaction, sentAtBlock };
      },
      (error) => error instanceof NonceTooLowError,
    );
    return { ...value, nonce, epoch };
  }

  /** The chain head, or null if the node will not say (e.g. a JWT without eth_ permissions): only a drop's diagnosis needs it. */
  async #head(): Promise<number | null> {
    try {
      return getNumber(await this.provider.send("eth_blockNumber", []));
    } catch {
      return null;
    }
  }

  /** Builds and signs the group's private transaction for `request` with `nonce`. */
  async #sign(privacyGroupId: string, request: PrivateTransactionRequest, nonce: number): Promise<PrivateTransaction> {
    return this.signTransaction(
      PrivateTransaction.from({
        nonce,
        gasPrice: request.gasPrice ?? this.#options.gasPrice ?? 0,
        gasLimit: request.gasLimit ?? this.#options.gasLimit ?? DEFAULT_PRIVATE_GAS_LIMIT,
        to: request.to ?? null,
        value: 0,
        data: request.data ?? "0x",
        chainId: await this.getChainId(),
        privateFrom: this.enclaveKey,
        privacyGroupId,
        restriction: "restricted",
      }),
    );
  }

  /** Follows one request to its final outcome, re-sending it when it failed only for its nonce. */
  async #settle(
    privacyGroupId: string,
    request: PrivateTransactionRequest,
    attempt: Attempt,
    attemptNumber: number,
  ): Promise<PrivateTransactionReceipt> {
    let receipt: PrivateTransactionReceipt;
    try {
      receipt = await this.provider.waitForPrivateTransactionReceipt(attempt.markerHash, {
        timeout: this.#options.timeout,
      });
    } catch (error) {
      this.#nonceNotUsed(privacyGroupId, attempt);
      throw error;
    }
    if (receipt.outcome === "success") return receipt;

    this.#nonceNotUsed(privacyGroupId, attempt);
    const maxAttempts = this.#options.maxAttempts ?? 8;
    if (receipt.outcome === "invalid" && attemptNumber < maxAttempts) {
      const next = await this.#submit(privacyGroupId, request);
      return this.#settle(privacyGroupId, request, next, attemptNumber + 1);
    }
    const failure =
      receipt.outcome === "dropped"
        ? new PrivateTransactionDroppedError(
            receipt.markerHash,
            receipt,
            await diagnoseDrop(this.provider, { ...attempt, markerBlock: receipt.blockNumber }),
          )
        : failureOf(receipt, attemptNumber);
    // A cancel that fails throws its own PrivateTransactionCancelError, which names the marker too.
    if (this.#options.cancelOnFailure === true && receipt.outcome !== "invalid") {
      await this.cancel({ markerHash: attempt.markerHash, nonce: attempt.nonce, privacyGroupId });
    }
    throw failure;
  }

  /** The attempt's nonce was not used: later ones of its epoch will fail too, so count afresh for the next send. */
  #nonceNotUsed(privacyGroupId: string, attempt: Attempt): void {
    const nonces = this.#nonces.group(privacyGroupId);
    if (nonces.epoch === attempt.epoch) nonces.next = null;
  }
}

function failureOf(receipt: PrivateTransactionReceipt, attempts: number): Error {
  if (receipt.outcome === "reverted")
    return new PrivateTransactionRevertedError(receipt.markerHash, receipt.revertReason ?? "0x", null, [], receipt);
  return new PrivateTransactionFailedError(
    BesuErrorCode.InvalidAtExecution,
    `the private transaction (marker ${receipt.markerHash}) was invalid at execution (status 0x2, usually a nonce ` +
      `that did not match) after ${attempts} attempt(s)`,
    receipt.markerHash,
    receipt,
  );
}

/**
 * Structural, not instanceof: an ESM project's ethers (lib.esm) has other classes than this CommonJS build's,
 * and its SigningKey must be accepted too.
 */
function isSigningKey(value: unknown): value is SigningKey {
  const key = value as Partial<SigningKey> | null;
  return typeof key === "object" && key !== null && typeof key.publicKey === "string" && typeof key.sign === "function";
}

/** The key of a Wallet or SigningKey; null for a digest signer. */
function signingKeyOf(source: SigningSource): SigningKey | null {
  if (isSigningKey(source)) return source;
  return "signingKey" in source && isSigningKey(source.signingKey) ? source.signingKey : null;
}

/**
 * This ethers' own SigningKey signs with libsecp256k1 when its binding loads (the same signature, several
 * times faster); any other key (another ethers' key, or one accepted by its shape) signs itself.
 */
function keyDigestSigner(key: SigningKey): DigestSigner {
  const native = key instanceof SigningKey ? nativeSecp256k1() : undefined;
  const signDigest =
    native === undefined
      ? (digest: string) => key.sign(digest)
      : (digest: string) => Signature.from(nativeSign(native, getBytes(digest), getBytes(key.privateKey)));
  return { getAddress: () => computeAddress(key.publicKey), signDigest };
}

function toDigestSigner(source: SigningSource): DigestSigner {
  if (
    typeof (source as DigestSigner).signDigest === "function" &&
    typeof (source as DigestSigner).getAddress === "function"
  ) {
    return source as DigestSigner;
  }
  throw new PrivateSignerError(
    "INVALID_SIGNER",
    "expected an ethers Wallet, a SigningKey, or an object with getAddress() and signDigest(digest)",
  );
}

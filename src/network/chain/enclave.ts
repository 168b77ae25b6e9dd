import { randomBytes } from "node:crypto";
import { Errors } from "../rpc/errors";

/** What an enclave gives back for a payload key: the payload and the key that sent it. */
export interface ReceivedPayload {
  payload: Uint8Array;
  senderKey: string;
  /** This enclave's keys that were parties (sender or recipients) to the payload. */
  parties: Set<string>;
}

/** One node's enclave, as Tessera: the payloads its keys sent or received, by 32-byte key (base64). */
export class Enclave {
  private readonly payloads = new Map<string, ReceivedPayload>();

  constructor(readonly keys: ReadonlySet<string>) {}

  store(payloadKey: string, stored: ReceivedPayload): void {
    this.payloads.set(payloadKey, stored);
  }

  /** The payload if any of `asKeys` (default: any of this enclave's keys) was a party to it. */
  receive(payloadKey: string, asKeys?: readonly string[]): ReceivedPayload | undefined {
    const stored = this.payloads.get(payloadKey);
    if (stored === undefined) return undefined;
    if (asKeys === undefined) return stored;
    return asKeys.some((key) => stored.parties.has(key)) ? stored : undefined;
  }

  /** Every payload held, by key: a copy (snapshots and the state file read it). */
  held(): Map<string, ReceivedPayload> {
    return new Map(this.payloads);
  }

  /** Replaces every payload held (a snapshot's revert). */
  replace(payloads: ReadonlyMap<string, ReceivedPayload>): void {
    this.payloads.clear();
    for (const [key, stored] of payloads) this.payloads.set(key, stored);
  }
}

/** The Tessera network between the nodes: a payload reaches every enclave holding the sender's or a recipient's key. */
export class EnclaveNetwork {
  constructor(private readonly enclaves: readonly Enclave[]) {}

  /**
   * Stores the payload with the sender and every recipient, and returns its 32-byte key (base64).
   * `from` must be a key of the sending enclave; every recipient must be held by some enclave.
   */
  send(sender: Enclave, payload: Uint8Array, from: string, recipients: readonly string[]): string {
    if (!sender.keys.has(from)) throw Errors.enclave();
    for (const recipient of recipients) {
      if (!this.enclaves.some((enclave) => enclave.keys.has(recipient))) {
        // Tessera's "Recipient not found for key: …", which Besu maps to -50200.
        throw Errors.recipientNotFound();
      }
    }
    const payloadKey = randomBytes(32).toString("base64");
    this.deliver(payloadKey, payload, from, [from, ...recipients]);
    return payloadKey;
  }

  /** Stores a payload with every enclave holding one of its parties (a send, or a saved state's payload). */
  deliver(payloadKey: string, payload: Uint8Array, from: string, parties: readonly string[]): void {
    for (const enclave of this.enclaves) {
      const held = [...new Set(parties)].filter((key) => enclave.keys.has(key));
      if (held.length > 0) enclave.store(payloadKey, { payload, senderKey: from, parties: new Set(held) });
    }
  }
}

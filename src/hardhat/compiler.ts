// The compiler and settings that produce the exported genesis blob. Every build
// (compile, test, coverage, deploy) reads them from here, so a deploy module can
// never drift from the export's settings.
export const SOLC_VERSION = "0.8.30";

export const COMPILER_SETTINGS = {
  // viaIR at 200 runs keeps proxy + management under 6,000 bytes (the legacy pipeline needs 6,354
  // even at 1 run) while every gas goal of `npm run bench` is still met.
  optimizer: { enabled: true, runs: 200 },
  // London: no PUSH0, MCOPY or transient storage, so older private chains can run the blob.
  evmVersion: "london",
  viaIR: true,
  // No CBOR metadata: a comment or path edit must not change the runtime bytes.
  metadata: { bytecodeHash: "none", appendCBOR: false },
} as const;

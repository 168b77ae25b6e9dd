/**
 * The main entry point is the ethers client, and ethers is an optional peer dependency (the viem entry point
 * does without it): without ethers installed, say what to install instead of failing inside a module.
 */
try {
  require.resolve("ethers");
} catch {
  throw new Error(
    "flexible-privacy-groups: this entry point is the ethers client and needs ethers 6, an optional peer " +
      "dependency: `npm install ethers@6`. A viem project imports flexible-privacy-groups/viem, which does not.",
  );
}

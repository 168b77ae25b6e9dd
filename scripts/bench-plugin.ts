/**
 * `npm run bench:plugin`: what a private contract costs inside `npx hardhat test`, measured in one test
 * process (this one) with the Hardhat plugin: the first run of a fixture, a restore of it, and a private
 * transaction's round trip beside a public one on Hardhat's in-process network, same contract, same run.
 * Prints each figure beside its goal; not run in CI (figures depend on the machine). 127.0.0.1 only.
 */
import hre from "hardhat";
import type { FlexiblePrivacyGroup, PrivateSigner } from "../src";
import { type PrivateCounter, PrivateCounter__factory } from "../typechain-types";

const RESTORES = 20;
const ROUND_TRIPS = 100;
/** The fixture's work: a group and a contract, then transactions, as a test suite's set-up does. */
const FIXTURE_TRANSACTIONS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

interface Deployed {
  signers: PrivateSigner[];
  group: FlexiblePrivacyGroup;
  counter: PrivateCounter;
}

async function deployCounter(): Promise<Deployed> {
  const signers = await hre.privacy.signers();
  const group = await hre.privacy.createGroup(signers[0], [signers[1]]);
  const counter = await group.deploy(new PrivateCounter__factory(), 1_000_000);
  for (let i = 0; i < FIXTURE_TRANSACTIONS; i++) await (await counter.increment()).wait();
  return { signers, group, counter };
}

async function main(): Promise<void> {
  await hre.privacy.signers(); // the network's start is not the fixture's cost
  const firstRun = await timed(() => hre.privacy.loadFixture(deployCounter));
  const restores: number[] = [];
  for (let i = 0; i < RESTORES; i++) {
    // A test changes what the fixture made before the next restores it.
    const { counter } = await hre.privacy.loadFixture(deployCounter);
    await (await counter.increment()).wait();
    restores.push(await timed(() => hre.privacy.loadFixture(deployCounter)));
  }
  const { counter } = await hre.privacy.loadFixture(deployCounter);

  const privateTrips: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) privateTrips.push(await timed(async () => (await counter.increment()).wait()));

  const [deployer] = await hre.ethers.getSigners();
  const publicCounter = await new PrivateCounter__factory(deployer).deploy(1_000_000);
  const publicTrips: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) publicTrips.push(await timed(async () => (await publicCounter.increment()).wait()));

  const restore = median(restores);
  const privateTrip = median(privateTrips);
  const publicTrip = median(publicTrips);
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  const rows = [
    ["figure", "value", "goal"],
    [`first run of the fixture (a group, a deployment, ${FIXTURE_TRANSACTIONS} transactions)`, `${firstRun.toFixed(1)} ms`, "-"],
    [`restore of the fixture (median of ${RESTORES})`, `${restore.toFixed(1)} ms`, `<= 10% of the first run: ${((100 * restore) / firstRun).toFixed(1)}% (${verdict(restore <= firstRun / 10)})`],
    [`private transaction round trip p50 (${ROUND_TRIPS} sequential)`, `${privateTrip.toFixed(2)} ms`, "-"],
    [`public transaction round trip p50, Hardhat's in-process network`, `${publicTrip.toFixed(2)} ms`, "-"],
    ["private / public", `${(privateTrip / publicTrip).toFixed(2)}x`, `<= 1.5x (${verdict(privateTrip <= 1.5 * publicTrip)})`],
  ];
  for (const row of rows) console.log(row.join(" | "));
}

main()
  .then(() => hre.privacy.stop())
  .catch(async (error: unknown) => {
    console.error(error);
    await hre.privacy.stop();
    process.exitCode = 1;
  });

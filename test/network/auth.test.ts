import crypto from "node:crypto";
import { expect } from "chai";
import { type CryptoKey, SignJWT, type JWTPayload, exportSPKI, generateKeyPair } from "jose";
import { type Session, TokenVerifier, authorizeCall, isPermitted, refusalResponse } from "../../src/network/tenancy/auth";
import type { JwtAlgorithm } from "../../src/network/types";

const TENANT = Buffer.alloc(32, 7).toString("base64");
const USER_ID = Buffer.alloc(32, 8).toString("base64");
const ALGORITHMS: JwtAlgorithm[] = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

type Pair = { privateKey: CryptoKey; verifier: TokenVerifier };
const pairs = new Map<JwtAlgorithm, Pair>();

async function pair(algorithm: JwtAlgorithm): Promise<Pair> {
  let found = pairs.get(algorithm);
  if (found === undefined) {
    const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
    found = { privateKey, verifier: new TokenVerifier({ publicKeyPem: await exportSPKI(publicKey), algorithm }) };
    pairs.set(algorithm, found);
  }
  return found;
}

async function token(algorithm: JwtAlgorithm, claims: JWTPayload, signingKey?: CryptoKey): Promise<string> {
  const key = signingKey ?? (await pair(algorithm)).privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg: algorithm }).sign(key);
}

const valid = (extra: JWTPayload = {}): JWTPayload => ({
  permissions: ["*:*"],
  privacyPublicKey: TENANT,
  exp: inAnHour(),
  ...extra,
});

async function sessionFor(algorithm: JwtAlgorithm, jwt: string): Promise<Session> {
  return (await pair(algorithm)).verifier.session(`Bearer ${jwt}`);
}

describe("multi-tenancy authentication", function () {
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: a valid token names the tenant by privacyPublicKey`, async function () {
      const session = await sessionFor(algorithm, await token(algorithm, valid()));
      expect(session).to.deep.equal({ kind: "authenticated", permissions: ["*:*"], tenantKey: TENANT });
      expect(authorizeCall(session, "priv_call")).to.deep.equal({ allowed: true, tenantKey: TENANT });
    });

    it(`${algorithm}: a token signed by another key of the same algorithm is rejected`, async function () {
      const { privateKey: stranger } = await generateKeyPair(algorithm);
      expect(await sessionFor(algorithm, await token(algorithm, valid(), stranger))).to.deep.equal({
        kind: "rejected",
      });
    });
  }

  it("privacyUserId wins over privacyPublicKey", async function () {
    const session = await sessionFor("RS256", await token("RS256", valid({ privacyUserId: USER_ID })));
    expect(authorizeCall(session, "priv_getCode")).to.deep.equal({ allowed: true, tenantKey: USER_ID });
  });

  it("a token of another algorithm than the configured one is rejected, even with the same key", async function () {
    const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = rsa.publicKey.export({ type: "spki", format: "pem" }) as string;
    const verifier = new TokenVerifier({ publicKeyPem: pem, algorithm: "RS256" });
    const signed = (alg: string) => new SignJWT(valid()).setProtectedHeader({ alg }).sign(rsa.privateKey);
    expect((await verifier.session(`Bearer ${await signed("RS256")}`)).kind).to.equal("authenticated");
    expect(await verifier.session(`Bearer ${await signed("RS384")}`)).to.deep.equal({ kind: "rejected" });
    expect(await sessionFor("ES384", await token("ES256", valid()))).to.deep.equal({ kind: "rejected" });
  });

  it("expired, not yet valid, without exp, unsigned or garbage tokens are rejected", async function () {
    const past = Math.floor(Date.now() / 1000) - 10;
    const noExp = { permissions: ["*:*"], privacyPublicKey: TENANT };
    const header = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${header({ alg: "none" })}.${header(valid())}.`;
    for (const jwt of [
      await token("ES256", valid({ exp: past })),
      await token("ES256", valid({ nbf: inAnHour() - 60 })),
      await token("ES256", noExp),
      unsigned,
      "not.a.jwt",
      "garbage",
    ]) {
      const session = await sessionFor("ES256", jwt);
      expect(session, jwt).to.deep.equal({ kind: "rejected" });
    }
  });

  describe("remembering tokens, milliseconds and maxTokenAge", function () {
    async function fresh(options: { maxTokenAge?: number } = {}) {
      const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
      const warnings: string[] = [];
      const verifier = new TokenVerifier(
        { publicKeyPem: await exportSPKI(publicKey), algorithm: "RS256", ...options },
        (message) => warnings.push(message),
      );
      const sign = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
      return { verifier, warnings, sign };
    }

    it("verifies a token once while it holds: fifty sessions of one token, one verification", async function () {
      const { verifier, sign } = await fresh();
      const jwt = await sign(valid());
      const sessions = await Promise.all(Array.from({ length: 50 }, () => verifier.session(`Bearer ${jwt}`)));
      expect(sessions.every((session) => session.kind === "authenticated")).to.equal(true);
      expect(verifier.verifications).to.equal(1);
      await verifier.session(`Bearer ${await sign(valid({ privacyPublicKey: USER_ID }))}`);
      expect(verifier.verifications, "another token is verified on its own").to.equal(2);
    });

    it("does not keep a token past its exp", async function () {
      const { verifier, sign } = await fresh();
      const jwt = await sign(valid({ exp: Math.floor(Date.now() / 1000) + 1 }));
      expect((await verifier.session(`Bearer ${jwt}`)).kind).to.equal("authenticated");
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect(await verifier.session(`Bearer ${jwt}`)).to.deep.equal({ kind: "rejected" });
    });

    it("accepts an exp in milliseconds, as Besu does, and warns once for that token", async function () {
      const { verifier, warnings, sign } = await fresh();
      const jwt = await sign(valid({ exp: Date.now() + 3_600_000 }));
      for (let i = 0; i < 3; i++) expect((await verifier.session(`Bearer ${jwt}`)).kind).to.equal("authenticated");
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.include("milliseconds").and.to.include("maxTokenAge");
      await verifier.session(`Bearer ${await sign(valid())}`);
      expect(warnings, "a token in seconds brings no warning").to.have.length(1);
    });

    it("verifies a token exactly maxTokenAge old once, though its remembered time has run out", async function () {
      const { verifier, sign } = await fresh({ maxTokenAge: 60 });
      const jwt = await sign(valid({ iat: Math.floor(Date.now() / 1000) - 60 }));
      await verifier.session(`Bearer ${jwt}`);
      expect(verifier.verifications).to.equal(1);
    });

    it("with maxTokenAge, refuses a token without iat or older than that, even with an exp in milliseconds", async function () {
      const { verifier, sign } = await fresh({ maxTokenAge: 60 });
      const now = Math.floor(Date.now() / 1000);
      expect((await verifier.session(`Bearer ${await sign(valid({ iat: now }))}`)).kind).to.equal("authenticated");
      expect(await verifier.session(`Bearer ${await sign(valid())}`)).to.deep.equal({ kind: "rejected" });
      const old = await sign(valid({ iat: now - 120, exp: Date.now() + 3_600_000 }));
      expect(await verifier.session(`Bearer ${old}`)).to.deep.equal({ kind: "rejected" });
    });
  });

  it("HS256 signed with the public key as its secret is rejected (algorithm confusion)", async function () {
    const { publicKey } = await generateKeyPair("RS256", { extractable: true });
    const pem = await exportSPKI(publicKey);
    const verifier = new TokenVerifier({ publicKeyPem: pem, algorithm: "RS256" });
    const forged = await new SignJWT(valid()).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(pem));
    expect(await verifier.session(`Bearer ${forged}`)).to.deep.equal({ kind: "rejected" });
  });

  it("no Bearer token is anonymous: 401 -40100 with id null", async function () {
    const { verifier } = await pair("RS256");
    for (const header of [undefined, "", "Basic dXNlcjpwdw==", "Bearer"]) {
      const session = await verifier.session(header);
      expect(session, String(header)).to.deep.equal({ kind: "anonymous" });
      const decision = authorizeCall(session, "eth_blockNumber");
      if (decision.allowed) expect.fail("anonymous call allowed");
      expect(refusalResponse(decision.refusal, 4)).to.deep.equal({
        jsonrpc: "2.0",
        id: null,
        error: { code: -40100, message: "Unauthorized" },
      });
      expect(decision.refusal.httpStatus).to.equal(401);
    }
  });

  it("a rejected token is 401 -40100 with the request's id", function () {
    const decision = authorizeCall({ kind: "rejected" }, "priv_call");
    if (decision.allowed) expect.fail("rejected token allowed");
    expect(decision.refusal.httpStatus).to.equal(401);
    expect(refusalResponse(decision.refusal, "abc")).to.deep.equal({
      jsonrpc: "2.0",
      id: "abc",
      error: { code: -40100, message: "Unauthorized" },
    });
  });

  it("a valid token without a tenant key: public methods pass, privacy methods get 400 -32600 Invalid Request", async function () {
    const session = await sessionFor("ES512", await token("ES512", { permissions: ["*:*"], exp: inAnHour() }));
    expect(authorizeCall(session, "eth_blockNumber")).to.deep.equal({ allowed: true, tenantKey: undefined });
    for (const method of ["priv_call", "eea_sendRawTransaction", "privx_findFlexiblePrivacyGroup"]) {
      const decision = authorizeCall(session, method);
      if (decision.allowed) expect.fail(`${method} allowed without a tenant key`);
      expect(decision.refusal.httpStatus).to.equal(400);
      expect(refusalResponse(decision.refusal, 9)).to.deep.equal({
        jsonrpc: "2.0",
        id: 9,
        error: { code: -32600, message: "Invalid Request" },
      });
    }
  });

  it("a method the permissions do not grant is 401 -40100 with the request's id", async function () {
    const session = await sessionFor(
      "RS512",
      await token("RS512", valid({ permissions: ["priv:*", "eth:blockNumber"] })),
    );
    expect(authorizeCall(session, "priv_getLogs").allowed).to.equal(true);
    expect(authorizeCall(session, "eth_blockNumber").allowed).to.equal(true);
    for (const method of ["privx_findFlexiblePrivacyGroup", "eea_sendRawTransaction", "eth_chainId"]) {
      const decision = authorizeCall(session, method);
      if (decision.allowed) expect.fail(`${method} allowed`);
      expect(decision.refusal).to.deep.equal({
        code: -40100,
        message: "Unauthorized",
        httpStatus: 401,
        keepsRequestId: true,
      });
    }
  });

  it("a token without a permissions claim may call nothing", async function () {
    const session = await sessionFor("ES384", await token("ES384", { privacyPublicKey: TENANT, exp: inAnHour() }));
    expect(session).to.deep.equal({ kind: "authenticated", permissions: [], tenantKey: TENANT });
    expect(authorizeCall(session, "eth_blockNumber").allowed).to.equal(false);
  });

  describe("isPermitted mirrors Besu's method permissions", function () {
    const cases: [string[], string, boolean][] = [
      [["*:*"], "priv_getEeaTransactionCount", true],
      [["priv:*"], "priv_getEeaTransactionCount", true],
      [["eea:*"], "priv_getEeaTransactionCount", false],
      [["priv:*"], "privx_findFlexiblePrivacyGroup", false],
      [["privx:*"], "privx_findFlexiblePrivacyGroup", true],
      [["privx:findFlexiblePrivacyGroup"], "privx_findFlexiblePrivacyGroup", true],
      [["privx:findOnchainPrivacyGroup"], "privx_findFlexiblePrivacyGroup", false],
      [["priv:call"], "priv_call", true],
      [["priv_call"], "priv_call", false],
      [["PRIV:*"], "priv_call", false],
      [["net:*"], "net_version", true],
      [["*:*"], "nounderscore", true],
      [["nounderscore:*"], "nounderscore", false],
      [[], "web3_clientVersion", false],
    ];
    for (const [permissions, method, expected] of cases) {
      it(`${JSON.stringify(permissions)} ${expected ? "grants" : "does not grant"} ${method}`, function () {
        expect(isPermitted(permissions, method)).to.equal(expected);
      });
    }
  });
});

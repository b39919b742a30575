// Shared helpers for the jwt-authn tests: keys and tokens made with node:crypto, a fixed clock,
// and a small driver that loads the filter and sends one request.

import { constants, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { FilterState, HostEnvironment, Plugin } from "../../../harness/index.js";

/** Seconds since the epoch at which every test's clock starts (2024-01-01T00:00:00Z). */
export const NOW = 1_704_067_200;

export const builds = ["build/jwt-authn.wasm", "build/jwt-authn.debug.wasm"];

type Pair = { publicKey: KeyObject; privateKey: KeyObject };

/** One key pair (or secret) per algorithm family, made once per test file. */
export const keys = {
  rsa: generateKeyPairSync("rsa", { modulusLength: 2048 }) as Pair,
  rsaOther: generateKeyPairSync("rsa", { modulusLength: 2048 }) as Pair,
  p256: generateKeyPairSync("ec", { namedCurve: "P-256" }) as Pair,
  p384: generateKeyPairSync("ec", { namedCurve: "P-384" }) as Pair,
  p521: generateKeyPairSync("ec", { namedCurve: "P-521" }) as Pair,
  ed25519: generateKeyPairSync("ed25519") as Pair,
  hmac: randomBytes(64),
};

export type Alg =
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "HS256"
  | "HS384"
  | "HS512"
  | "EdDSA";

export const ALGS: Alg[] = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "HS256",
  "HS384",
  "HS512",
  "EdDSA",
];

export const b64u = (data: string | Uint8Array): string => Buffer.from(data).toString("base64url");

/** Returns the signature `alg` makes over `input` with the test key of its family (or `secret` for HS*). */
export function signature(alg: string, input: string, secret: Uint8Array = keys.hmac): Buffer {
  const data = Buffer.from(input);
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith("RS")) return sign(hash, data, keys.rsa.privateKey);
  if (alg.startsWith("PS")) {
    return sign(hash, data, {
      key: keys.rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(alg.slice(2)) / 8,
    });
  }
  if (alg.startsWith("ES")) {
    const key = alg === "ES256" ? keys.p256 : alg === "ES384" ? keys.p384 : keys.p521;
    return sign(hash, data, { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  }
  if (alg.startsWith("HS")) return createHmac(hash, secret).update(data).digest();
  return sign(null, data, keys.ed25519.privateKey);
}

/** Claims of a token the default provider accepts. */
export function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: "https://issuer.test", sub: "alice", aud: "api.test", exp: NOW + 3600, iat: NOW, ...extra };
}

/** Builds a compact JWS; `header` members override `{alg, kid}`; payload objects become JSON. */
export function token(
  alg: Alg | string = "RS256",
  payload: Record<string, unknown> | string = claims(),
  header: Record<string, unknown> = {},
): string {
  const head = b64u(JSON.stringify({ alg, ...header }));
  const body = b64u(typeof payload === "string" ? payload : JSON.stringify(payload));
  const input = `${head}.${body}`;
  return `${input}.${b64u(signature(alg, input))}`;
}

/** A JWK of the public half of `pair` with extra members. */
export function jwk(pair: Pair, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(pair.publicKey.export({ format: "jwk" }) as Record<string, unknown>), ...extra };
}

/** The JWKS with every test key (the HMAC secret as an oct key), each with kid = its family. */
export function allKeysJwks(): string {
  return JSON.stringify({
    keys: [
      jwk(keys.rsa, { kid: "rsa" }),
      jwk(keys.p256, { kid: "p256" }),
      jwk(keys.p384, { kid: "p384" }),
      jwk(keys.p521, { kid: "p521" }),
      jwk(keys.ed25519, { kid: "ed25519" }),
      { kty: "oct", kid: "hmac", k: b64u(keys.hmac) },
    ],
  });
}

/** A provider accepting every test key, issuer https://issuer.test and audience api.test. */
export function provider(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: "https://issuer.test",
    audiences: ["api.test"],
    local_jwks: { inline_string: allKeysJwks() },
    ...extra,
  };
}

/** A configuration requiring provider "main" on every path. */
export function simpleConfig(providerExtra: Record<string, unknown> = {}, top: Record<string, unknown> = {}): object {
  return {
    providers: { main: provider(providerExtra) },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    ...top,
  };
}

/** Loads the filter on a fresh environment whose clock reads NOW. */
export async function load(wasm: string, configuration: string | object): Promise<Plugin> {
  const environment = new HostEnvironment({ startTime: BigInt(NOW) * 1_000_000_000n });
  return Plugin.load(wasm, { rootId: "jwt-authn", configuration, environment });
}

/** Request headers for `path` with extra headers. */
export function requestHeaders(path = "/api", extra: [string, string][] = [], method = "GET"): [string, string][] {
  return [[":method", method], [":path", path], [":authority", "api.test"], [":scheme", "https"], ...extra];
}

/** Sends one request; returns the stream and its filter state. */
export function send(plugin: Plugin, headers: [string, string][]) {
  const filterState = new FilterState();
  const stream = plugin.newHttpStream(0, { filterState });
  stream.sendRequestHeaders(headers, true);
  return { stream, filterState };
}

/** Sends a request with `Authorization: Bearer <jwt>` and returns the reply status (200 when it went upstream). */
export function statusFor(plugin: Plugin, jwt: string, path = "/api"): number {
  const { stream } = send(plugin, requestHeaders(path, [["authorization", `Bearer ${jwt}`]]));
  return stream.localReply ? stream.localReply.status : stream.upstreamRequest.headers ? 200 : 0;
}

/** The body of the local reply, as text. */
export function replyBody(plugin: Plugin, jwt: string | null, path = "/api"): string {
  const extra: [string, string][] = jwt == null ? [] : [["authorization", `Bearer ${jwt}`]];
  const { stream } = send(plugin, requestHeaders(path, extra));
  return stream.localReply ? new TextDecoder().decode(stream.localReply.body) : "";
}

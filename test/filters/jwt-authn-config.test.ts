// jwt-authn configuration: every field's refusal names its JSON path, config.schema.json agrees
// with the filter, and weak or private keys are refused at load (filters.md 5.4, weak keys).

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { LogLevel } from "../../harness/index.js";
import { wasmFilterConfiguration } from "../e2e/support/config.js";
import { allKeysJwks, b64u, builds, claims, jwk, keys, load, provider, statusFor, token } from "./jwt-authn/support.js";

const jwks = (...list: object[]) => JSON.stringify({ keys: list });
const withProvider = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  providers: { p: { local_jwks: { inline_string: allKeysJwks() }, ...extra } },
  ...top,
});
const weakRsa = generateKeyPairSync("rsa", { modulusLength: 1024 });

// Envoy's remote_jwks, one refusal per field.
function remoteRejections(): [string, object, string][] {
  const httpUri = { uri: "https://idp.test/jwks", cluster: "idp", timeout: "5s" };
  const remote = (extra: Record<string, unknown>) => ({
    providers: { p: { remote_jwks: { http_uri: httpUri, ...extra } } },
  });
  const at = "providers.p.remote_jwks.";
  return [
    ["remote_jwks not an object", { providers: { p: { remote_jwks: [] } } }, `${at.slice(0, -1)}: must be an object`],
    ["remote_jwks unknown field", remote({ uri: "x" }), `${at}uri: unknown field`],
    ["remote_jwks without http_uri", { providers: { p: { remote_jwks: {} } } }, `${at}http_uri: is required`],
    [
      "remote_jwks with local_jwks",
      { providers: { p: { remote_jwks: { http_uri: httpUri }, local_jwks: { inline_string: allKeysJwks() } } } },
      "providers.p.local_jwks: only one of local_jwks and remote_jwks may be set",
    ],
    [
      "remote_jwks http_uri unknown field",
      remote({ http_uri: { ...httpUri, method: "GET" } }),
      `${at}http_uri.method: unknown field`,
    ],
    [
      "remote_jwks relative uri",
      remote({ http_uri: { ...httpUri, uri: "/jwks" } }),
      `${at}http_uri.uri: must be an absolute http or https URI`,
    ],
    [
      "remote_jwks uri with spaces",
      remote({ http_uri: { ...httpUri, uri: "https://idp.test/a b" } }),
      `${at}http_uri.uri: must be an absolute http or https URI`,
    ],
    [
      "remote_jwks without cluster",
      remote({ http_uri: { uri: httpUri.uri, timeout: "1s" } }),
      `${at}http_uri.cluster: is required`,
    ],
    [
      "remote_jwks empty cluster",
      remote({ http_uri: { ...httpUri, cluster: "" } }),
      `${at}http_uri.cluster: must not be empty`,
    ],
    [
      "remote_jwks without timeout",
      remote({ http_uri: { uri: httpUri.uri, cluster: "idp" } }),
      `${at}http_uri.timeout: is required`,
    ],
    [
      "remote_jwks timeout not a duration",
      remote({ http_uri: { ...httpUri, timeout: 5 } }),
      `${at}http_uri.timeout: must be a duration string`,
    ],
    [
      "remote_jwks timeout zero",
      remote({ http_uri: { ...httpUri, timeout: "0s" } }),
      `${at}http_uri.timeout: must be from 0.001s to 2147483.647s`,
    ],
    [
      "remote_jwks cache_duration not a duration",
      remote({ cache_duration: "10m" }),
      `${at}cache_duration: must be a duration`,
    ],
    [
      "remote_jwks cache_duration zero",
      remote({ cache_duration: "0s" }),
      `${at}cache_duration: must be at least 0.001s`,
    ],
    ["remote_jwks async_fetch not an object", remote({ async_fetch: true }), `${at}async_fetch: must be an object`],
    [
      "remote_jwks async_fetch unknown field",
      remote({ async_fetch: { eager: true } }),
      `${at}async_fetch.eager: unknown field`,
    ],
    [
      "remote_jwks fast_listener not a boolean",
      remote({ async_fetch: { fast_listener: "yes" } }),
      `${at}async_fetch.fast_listener: must be a boolean`,
    ],
    [
      "remote_jwks failed_refetch_duration bad",
      remote({ async_fetch: { failed_refetch_duration: "1" } }),
      `${at}async_fetch.failed_refetch_duration: must be a duration`,
    ],
    [
      "remote_jwks retry_policy unknown field",
      remote({ retry_policy: { retry_on: "5xx" } }),
      `${at}retry_policy.retry_on: unknown field`,
    ],
    [
      "remote_jwks num_retries too many",
      remote({ retry_policy: { num_retries: 11 } }),
      `${at}retry_policy.num_retries: must be a whole number from 0 to 10`,
    ],
    [
      "remote_jwks retry_back_off without base_interval",
      remote({ retry_policy: { retry_back_off: { max_interval: "1s" } } }),
      `${at}retry_policy.retry_back_off.base_interval: is required`,
    ],
    [
      "remote_jwks max_interval below base_interval",
      remote({ retry_policy: { retry_back_off: { base_interval: "2s", max_interval: "1s" } } }),
      `${at}retry_policy.retry_back_off.max_interval: must not be shorter than base_interval`,
    ],
  ];
}

// Configurations the filter and the schema both reject, with the filter's message.
const rejected: [string, object, string][] = [
  ["not an object", [], "(root): must be an object, got array"],
  ["unknown top-level field", { provider: {} }, "provider: unknown field"],
  ["providers not an object", { providers: [] }, "providers: must be an object, got array"],
  ["unknown provider field", withProvider({ issuers: "x" }), "providers.p.issuers: unknown field"],
  ...remoteRejections(),
  [
    "payload_in_metadata",
    withProvider({ payload_in_metadata: "x" }),
    "providers.p.payload_in_metadata: dynamic metadata",
  ],
  ["missing local_jwks", { providers: { p: { issuer: "x" } } }, "providers.p.local_jwks: is required"],
  ["issuer not a string", withProvider({ issuer: 5 }), "providers.p.issuer: must be a string, got number"],
  ["audiences not strings", withProvider({ audiences: [1] }), "providers.p.audiences[0]: must be a string, got number"],
  [
    "subjects with two kinds",
    withProvider({ subjects: { exact: "a", prefix: "b" } }),
    "providers.p.subjects: must have exactly one of",
  ],
  [
    "subjects bad regex",
    withProvider({ subjects: { safe_regex: { regex: "(" } } }),
    "providers.p.subjects.safe_regex: invalid regex",
  ],
  [
    "require_expiration not a boolean",
    withProvider({ require_expiration: "yes" }),
    "providers.p.require_expiration: must be a boolean",
  ],
  [
    "max_lifetime without unit",
    withProvider({ max_lifetime: "3600" }),
    'providers.p.max_lifetime: must be a duration string such as "3600s"',
  ],
  ["forward not a boolean", withProvider({ forward: 1 }), "providers.p.forward: must be a boolean"],
  [
    "from_headers without name",
    withProvider({ from_headers: [{ value_prefix: "B " }] }),
    "providers.p.from_headers[0].name: is required",
  ],
  [
    "from_headers bad name",
    withProvider({ from_headers: [{ name: "a b" }] }),
    'providers.p.from_headers[0].name: is not a valid header name: "a b"',
  ],
  ["from_params empty name", withProvider({ from_params: [""] }), "providers.p.from_params[0]: must not be empty"],
  ["from_cookies not strings", withProvider({ from_cookies: [true] }), "providers.p.from_cookies[0]: must be a string"],
  [
    "forward_payload_header bad",
    withProvider({ forward_payload_header: "x:y" }),
    "providers.p.forward_payload_header: is not a valid header name",
  ],
  [
    "pad_forward_payload_header",
    withProvider({ pad_forward_payload_header: "x" }),
    "providers.p.pad_forward_payload_header: must be a boolean",
  ],
  [
    "clock_skew_seconds negative",
    withProvider({ clock_skew_seconds: -1 }),
    "providers.p.clock_skew_seconds: must be a whole number",
  ],
  [
    "jwt_cache_size fraction",
    withProvider({ jwt_cache_config: { jwt_cache_size: 1.5 } }),
    "providers.p.jwt_cache_config.jwt_cache_size: must be a whole number",
  ],
  [
    "jwt_cache_config unknown",
    withProvider({ jwt_cache_config: { size: 1 } }),
    "providers.p.jwt_cache_config.size: unknown field",
  ],
  [
    "claim_to_headers missing claim",
    withProvider({ claim_to_headers: [{ header_name: "x" }] }),
    "providers.p.claim_to_headers[0].claim_name: is required",
  ],
  [
    "claim_to_headers empty claim",
    withProvider({ claim_to_headers: [{ header_name: "x", claim_name: "" }] }),
    "providers.p.claim_to_headers[0].claim_name: must not be empty",
  ],
  [
    "normalize_payload_in_metadata bad",
    withProvider({ normalize_payload_in_metadata: { space_delimited_claims: "scope" } }),
    "providers.p.normalize_payload_in_metadata.space_delimited_claims: must be an array",
  ],
  ["principal_header bad", { principal_header: "" }, "principal_header: must not be empty"],
  ["allowed_types not strings", withProvider({ allowed_types: [1] }), "providers.p.allowed_types[0]: must be a string"],
  [
    "allowed_authorized_parties not strings",
    withProvider({ allowed_authorized_parties: [true] }),
    "providers.p.allowed_authorized_parties[0]: must be a string",
  ],
  [
    "local_jwks unknown",
    withProvider({ local_jwks: { filename: "/x" } }),
    "providers.p.local_jwks.filename: unknown field",
  ],
  [
    "JWKS not JSON",
    withProvider({ local_jwks: { inline_string: "{" } }),
    "providers.p.local_jwks.inline_string: not a JWKS, PEM or certificate map",
  ],
  [
    "JWKS without keys",
    withProvider({ local_jwks: { inline_string: jwks() } }),
    "Jwks doesn't have any valid public key",
  ],
  [
    "JWKS with a private key",
    withProvider({ local_jwks: { inline_string: jwks({ ...jwk(keys.rsa), d: "AQAB" }) } }),
    "keys[0].d: private key material must not be configured",
  ],
  [
    "JWKS with a repeated kid",
    withProvider({ local_jwks: { inline_string: jwks(jwk(keys.rsa, { kid: "a" }), jwk(keys.p256, { kid: "a" })) } }),
    "keys[1].kid: repeats an earlier key's kid",
  ],
  [
    "RSA 1024-bit key",
    withProvider({ local_jwks: { inline_string: jwks(jwk(weakRsa)) } }),
    "RSA modulus of 1024 bits is shorter than 2048",
  ],
  [
    "RSA e = 1",
    withProvider({ local_jwks: { inline_string: jwks({ ...jwk(keys.rsa), e: "AQ" }) } }),
    "RSA exponent must be odd and greater than 1",
  ],
  [
    "short HMAC key",
    withProvider({ local_jwks: { inline_string: jwks({ kty: "oct", k: b64u("short") }) } }),
    "HMAC keys need at least 32 bytes",
  ],
  [
    "short HS512 key",
    withProvider({ local_jwks: { inline_string: jwks({ kty: "oct", alg: "HS512", k: b64u(Buffer.alloc(32, 1)) }) } }),
    "HS512 needs a key of at least 64 bytes",
  ],
  [
    "EC alg/crv mismatch",
    withProvider({ local_jwks: { inline_string: jwks(jwk(keys.p256, { alg: "ES384" })) } }),
    'keys[0].alg: "ES384" cannot be used',
  ],
  [
    "PEM private key",
    withProvider({
      local_jwks: { inline_string: keys.rsa.privateKey.export({ format: "pem", type: "pkcs8" }) as string },
    }),
    'PEM block 0 is a "PRIVATE KEY"',
  ],
  [
    "PEM weak RSA",
    withProvider({
      local_jwks: { inline_string: weakRsa.publicKey.export({ format: "pem", type: "spki" }) as string },
    }),
    "RSA keys need 2048 to 8192 bits",
  ],
  ["rules not an array", { rules: {} }, "rules: must be an array, got object"],
  ["rule without match", { rules: [{ requires: { allow_missing: {} } }] }, "rules[0].match: is required"],
  [
    "match with two kinds",
    { rules: [{ match: { prefix: "/", path: "/" } }] },
    "rules[0].match: must have exactly one of prefix",
  ],
  [
    "match bad regex",
    { rules: [{ match: { safe_regex: { regex: "[" } } }] },
    "rules[0].match.safe_regex.regex: invalid regex",
  ],
  [
    "path_separated_prefix trailing slash",
    { rules: [{ match: { path_separated_prefix: "/a/" } }] },
    'rules[0].match.path_separated_prefix: must start with "/"',
  ],
  [
    "unknown provider in rule",
    { rules: [{ match: { prefix: "/" }, requires: { provider_name: "x" } }] },
    'rules[0].requires.provider_name: names no configured provider: "x"',
  ],
  [
    "requires and requirement_name",
    withProvider({}, { rules: [{ match: { prefix: "/" }, requires: { provider_name: "p" }, requirement_name: "a" }] }),
    "rules[0].requirement_name: cannot be combined with requires",
  ],
  [
    "unknown requirement_name",
    { rules: [{ match: { prefix: "/" }, requirement_name: "a" }] },
    'rules[0].requirement_name: names no entry of requirement_map: "a"',
  ],
  [
    "requires_any with one child",
    withProvider({}, { requirement_map: { r: { requires_any: { requirements: [{ provider_name: "p" }] } } } }),
    "requirement_map.r.requires_any.requirements: must list at least 2 requirements",
  ],
  [
    "requirement with two keys",
    withProvider({}, { requirement_map: { r: { provider_name: "p", allow_missing: {} } } }),
    "requirement_map.r: must have exactly one of",
  ],
  [
    "unknown requirement",
    withProvider({}, { requirement_map: { r: { provider: "p" } } }),
    "requirement_map.r.provider: unknown requirement",
  ],
  [
    "allow_missing with members",
    { requirement_map: { r: { allow_missing: { x: 1 } } } },
    "requirement_map.r.allow_missing.x: unknown field",
  ],
  ["bypass_cors_preflight", { bypass_cors_preflight: "yes" }, "bypass_cors_preflight: must be a boolean"],
  ["strip_failure_response", { strip_failure_response: 1 }, "strip_failure_response: must be a boolean"],
  ["max_token_bytes too big", { max_token_bytes: 1e7 }, "max_token_bytes: must be a whole number from 0 to 1048576"],
  ["jwt_rules with providers", { jwt_rules: [], providers: {} }, "providers: cannot be combined with jwt_rules"],
  ["jwt_rules empty", { jwt_rules: [] }, "jwt_rules: must list at least one rule"],
  ["jwt rule without issuer", { jwt_rules: [{ jwks: allKeysJwks() }] }, "jwt_rules[0].issuer: is required"],
  [
    "jwt rule with jwksUri but no cluster",
    { jwt_rules: [{ issuer: "a", jwksUri: "https://a/jwks" }] },
    "jwt_rules[0].jwksCluster: is required",
  ],
  [
    "jwt rule with jwks and jwksUri",
    { jwt_rules: [{ issuer: "a", jwks: allKeysJwks(), jwksUri: "https://a/jwks", jwksCluster: "c" }] },
    "jwt_rules[0].jwksUri: only one of jwks and jwksUri may be set",
  ],
  [
    "jwt rule with jwksCluster but inline jwks",
    { jwt_rules: [{ issuer: "a", jwks: allKeysJwks(), jwksCluster: "c" }] },
    "jwt_rules[0].jwksCluster: is only used with jwksUri",
  ],
  [
    "jwt rule with a relative jwksUri",
    { jwt_rules: [{ issuer: "a", jwksUri: "/jwks", jwksCluster: "c" }] },
    "jwt_rules[0].jwksUri: must be an absolute http or https URI",
  ],
  [
    "jwt rule with an empty jwksCluster",
    { jwt_rules: [{ issuer: "a", jwksUri: "https://a/jwks", jwksCluster: "" }] },
    "jwt_rules[0].jwksCluster: must not be empty",
  ],
  [
    "jwt rule with a zero fetch timeout",
    { jwt_rules: [{ issuer: "a", jwksUri: "https://a/jwks", jwksCluster: "c", timeout: "0s" }] },
    "jwt_rules[0].timeout: must be from 0.001s to 2147483.647s",
  ],
  ["jwt rule without keys", { jwt_rules: [{ issuer: "a" }] }, "jwt_rules[0]: jwks or jwksUri is required"],
  [
    "jwt rule unknown field",
    { jwt_rules: [{ issuer: "a", jwks: allKeysJwks(), forward: true }] },
    "jwt_rules[0].forward: unknown field",
  ],
  [
    "jwt rule bad claim header",
    { jwt_rules: [{ issuer: "a", jwks: allKeysJwks(), outputClaimToHeaders: [{ header: "a b", claim: "sub" }] }] },
    "jwt_rules[0].outputClaimToHeaders[0].header: is not a valid header name",
  ],
  [
    "jwt rule bad timeout",
    { jwt_rules: [{ issuer: "a", jwks: allKeysJwks(), timeout: "5" }] },
    "jwt_rules[0].timeout: must be a duration",
  ],
];

describe.each(builds)("jwt-authn configuration (%s)", (wasm) => {
  it.each(rejected)("rejects %s, naming the field", async (_, configuration, message) => {
    const plugin = await load(wasm, configuration);
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logs[0]!.level).toBe(LogLevel.Error);
    expect(plugin.logMessages()[0]).toContain("jwt-authn: invalid configuration: ");
    expect(plugin.logMessages()[0]).toContain(message);
  });

  it("rejects configuration that is not JSON, and duplicate members", async () => {
    expect((await load(wasm, "{")).logMessages()[0]).toMatch(/^jwt-authn: invalid configuration: not JSON at byte 1/);
    expect((await load(wasm, '{"rules": [], "rules": []}')).logMessages()[0]).toContain('duplicate member "rules"');
  });

  it("accepts an empty configuration and checks nothing", async () => {
    const plugin = await load(wasm, "{}");
    expect(plugin.status).toBe("running");
    expect(statusFor(plugin, "anything")).toBe(200);
  });

  it("loads keys from PEM public keys, X.509 certificates and a {kid: certificate} map", async () => {
    const rules = [{ match: { prefix: "/" }, requires: { provider_name: "p" } }];
    const pems = [keys.rsa, keys.p256, keys.p384, keys.p521, keys.ed25519]
      .map((pair) => pair.publicKey.export({ format: "pem", type: "spki" }) as string)
      .join("\n");
    const plugin = await load(wasm, { providers: { p: provider({ local_jwks: { inline_string: pems } }) }, rules });
    for (const alg of ["RS256", "PS512", "ES256", "ES384", "ES512", "EdDSA"])
      expect(statusFor(plugin, token(alg)), alg).toBe(200);
    expect(statusFor(plugin, token("HS256"))).toBe(401);
    const cert = readFileSync("test/filters/jwt-authn/cert.pem", "utf8");
    const certPlugin = await load(wasm, { providers: { p: provider({ local_jwks: { inline_string: cert } }) }, rules });
    expect(certPlugin.status).toBe("running");
    const map = JSON.stringify({ k1: cert });
    const mapPlugin = await load(wasm, { providers: { p: provider({ local_jwks: { inline_string: map } }) }, rules });
    expect(mapPlugin.status).toBe("running");
    expect(new X509Certificate(cert).publicKey.asymmetricKeyType).toBe("ec");
    const bad = await load(wasm, {
      providers: { p: provider({ local_jwks: { inline_string: JSON.stringify({ k1: 5 }) } }) },
      rules,
    });
    expect(bad.logMessages()[0]).toContain("k1: must be a PEM certificate string");
  });

  it("verifies tokens with the key of a certificate", async () => {
    const cert = readFileSync("test/filters/jwt-authn/cert.pem", "utf8");
    const plugin = await load(wasm, {
      providers: { p: { local_jwks: { inline_string: JSON.stringify({ k1: cert }) } } },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "p" } }],
    });
    const certToken = readFileSync("test/filters/jwt-authn/cert-token.txt", "utf8").trim();
    expect(statusFor(plugin, certToken)).toBe(200);
    expect(statusFor(plugin, token("ES256", claims(), { kid: "k1" }))).toBe(401);
  });
});

describe("jwt-authn config.schema.json", () => {
  const schema = JSON.parse(readFileSync("filters/jwt-authn/config.schema.json", "utf8")) as object;
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  // Key contents and cross-references are the filter's business: the schema checks shapes only.
  const semantic = new Set([
    "remote_jwks timeout zero",
    "remote_jwks cache_duration zero",
    "remote_jwks max_interval below base_interval",
    "jwt rule with a zero fetch timeout",
    "JWKS not JSON",
    "JWKS without keys",
    "JWKS with a private key",
    "JWKS with a repeated kid",
    "RSA 1024-bit key",
    "RSA e = 1",
    "short HMAC key",
    "short HS512 key",
    "EC alg/crv mismatch",
    "PEM private key",
    "PEM weak RSA",
    "match bad regex",
    "subjects bad regex",
    "unknown provider in rule",
    "unknown requirement_name",
    "jwt rule without keys",
  ]);

  it.each(rejected.filter(([name]) => !semantic.has(name)))("rejects %s, as the filter does", (_, configuration) => {
    expect(validate(configuration)).toBe(false);
  });

  it("accepts its own examples and the configuration in envoy-configs/jwt-authn.yaml", () => {
    for (const example of (schema as { examples: object[] }).examples)
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    const bootstrap = parse(readFileSync("envoy-configs/jwt-authn.yaml", "utf8")) as Record<string, unknown>;
    const configuration = JSON.parse(wasmFilterConfiguration(bootstrap, "jwt-authn")) as object;
    expect(validate(configuration), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(builds)("runs its examples and the Envoy configuration (%s)", async (wasm) => {
    for (const example of (schema as { examples: object[] }).examples)
      expect((await load(wasm, example)).status).toBe("running");
    const bootstrap = parse(readFileSync("envoy-configs/jwt-authn.yaml", "utf8")) as Record<string, unknown>;
    expect((await load(wasm, wasmFilterConfiguration(bootstrap, "jwt-authn"))).status).toBe("running");
  });
});

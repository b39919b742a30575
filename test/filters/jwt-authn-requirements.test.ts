// jwt-authn requirement trees (Envoy's JwtRequirement examples), route rules, subjects, lifetime
// limits and Istio RequestAuthentication jwtRules taken as they are.

import { describe, expect, it } from "vitest";
import { generateKeyPairSync, sign } from "node:crypto";
import {
  NOW,
  b64u,
  builds,
  claims,
  jwk,
  keys,
  load,
  provider,
  replyBody,
  requestHeaders,
  send,
  statusFor,
  token,
} from "./jwt-authn/support.js";

const A = "https://a.test";
const B = "https://b.test";
const C = "https://c.test";

// Three providers, each with its own issuer and header x-<name>.
function providers(): Record<string, unknown> {
  const make = (issuer: string, header: string) =>
    provider({ issuer, audiences: [], from_headers: [{ name: header }] });
  return { a: make(A, "x-a"), b: make(B, "x-b"), c: make(C, "x-c") };
}

const tokenFor = (iss: string, extra: Record<string, unknown> = {}) => token("RS256", claims({ iss, ...extra }));

function statusWith(plugin: Awaited<ReturnType<typeof load>>, headers: [string, string][], path = "/"): number {
  const { stream } = send(plugin, requestHeaders(path, headers));
  return stream.localReply ? stream.localReply.status : 200;
}

const requirements: [string, object, [string, string][], number][] = [
  ["A passes with A", { provider_name: "a" }, [["x-a", tokenFor(A)]], 200],
  ["A fails without a token", { provider_name: "a" }, [], 401],
  ["A fails with B's token at A's header (issuer)", { provider_name: "a" }, [["x-a", tokenFor(B)]], 401],
  [
    "A|B passes with B",
    { requires_any: { requirements: [{ provider_name: "a" }, { provider_name: "b" }] } },
    [["x-b", tokenFor(B)]],
    200,
  ],
  [
    "A|B fails with neither",
    { requires_any: { requirements: [{ provider_name: "a" }, { provider_name: "b" }] } },
    [],
    401,
  ],
  [
    "A&B passes with both",
    { requires_all: { requirements: [{ provider_name: "a" }, { provider_name: "b" }] } },
    [
      ["x-a", tokenFor(A)],
      ["x-b", tokenFor(B)],
    ],
    200,
  ],
  [
    "A&B fails with A only",
    { requires_all: { requirements: [{ provider_name: "a" }, { provider_name: "b" }] } },
    [["x-a", tokenFor(A)]],
    401,
  ],
  [
    "A&(B|C) passes with A and C",
    {
      requires_all: {
        requirements: [
          { provider_name: "a" },
          { requires_any: { requirements: [{ provider_name: "b" }, { provider_name: "c" }] } },
        ],
      },
    },
    [
      ["x-a", tokenFor(A)],
      ["x-c", tokenFor(C)],
    ],
    200,
  ],
  [
    "A&(B|C) fails with B and C",
    {
      requires_all: {
        requirements: [
          { provider_name: "a" },
          { requires_any: { requirements: [{ provider_name: "b" }, { provider_name: "c" }] } },
        ],
      },
    },
    [
      ["x-b", tokenFor(B)],
      ["x-c", tokenFor(C)],
    ],
    401,
  ],
  [
    "optional A passes without a token",
    { requires_any: { requirements: [{ provider_name: "a" }, { allow_missing: {} }] } },
    [],
    200,
  ],
  [
    "optional A fails with a bad token",
    { requires_any: { requirements: [{ provider_name: "a" }, { allow_missing: {} }] } },
    [["x-a", "bad"]],
    401,
  ],
  ["allow_missing fails an expired token", { allow_missing: {} }, [["x-b", tokenFor(B, { exp: NOW - 100 })]], 401],
  ["allow_missing passes a good token of any provider", { allow_missing: {} }, [["x-c", tokenFor(C)]], 200],
  ["allow_missing fails an unknown issuer", { allow_missing: {} }, [["x-c", tokenFor("https://evil.test")]], 401],
  ["allow_missing_or_failed passes a bad token", { allow_missing_or_failed: {} }, [["x-a", "bad"]], 200],
  [
    "provider_and_audiences overrides audiences",
    { provider_and_audiences: { provider_name: "a", audiences: ["other"] } },
    [["x-a", tokenFor(A)]],
    403,
  ],
];

describe.each(builds)("jwt-authn requirements (%s)", (wasm) => {
  it.each(requirements)("%s", async (_, requires, headers, expected) => {
    const plugin = await load(wasm, { providers: providers(), rules: [{ match: { prefix: "/" }, requires }] });
    expect(statusWith(plugin, headers)).toBe(expected);
  });

  it("reports the most specific error of requires_any: a missing token or unknown issuer never hides one (1.2)", async () => {
    const plugin = await load(wasm, {
      providers: providers(),
      rules: [
        {
          match: { prefix: "/" },
          requires: {
            requires_any: { requirements: [{ provider_name: "a" }, { provider_name: "b" }, { provider_name: "c" }] },
          },
        },
      ],
    });
    const expired = tokenFor(A, { exp: NOW - 1000 });
    const body = (headers: [string, string][]) =>
      new TextDecoder().decode(send(plugin, requestHeaders("/", headers)).stream.localReply!.body);
    expect(body([["x-a", expired]])).toBe("Jwt is expired");
    expect(
      body([
        ["x-a", expired],
        ["x-c", tokenFor(B)],
      ]),
    ).toBe("Jwt is expired");
    expect(body([["x-c", tokenFor(B)]])).toBe("Jwt issuer is not configured");
    expect(body([])).toBe("Jwt is missing");
  });

  it("still publishes a verified token under allow_missing_or_failed", async () => {
    const plugin = await load(wasm, {
      providers: providers(),
      rules: [{ match: { prefix: "/" }, requires: { allow_missing_or_failed: {} } }],
    });
    const { filterState, stream } = send(
      plugin,
      requestHeaders("/", [
        ["x-b", tokenFor(B)],
        ["x-a", "bad"],
      ]),
    );
    expect(stream.localReply).toBeNull();
    expect(filterState.text("wasm.envoy_as.jwt.principal")).toBe(`${B}/alice`);
    expect(plugin.environment.metrics.counter("reason=.=bad_format;.;jwt_authn_token_failed")).toBe(1n);
  });

  it("applies the first matching rule: prefix, exact path, regex, separated prefix, methods, case", async () => {
    const plugin = await load(wasm, {
      providers: providers(),
      requirement_map: { needA: { provider_name: "a" } },
      rules: [
        { match: { path: "/health" } },
        { match: { safe_regex: { regex: "/v[0-9]+/open/.*" } } },
        { match: { prefix: "/write", methods: ["POST", "PUT"] }, requirement_name: "needA" },
        { match: { prefix: "/write" } },
        { match: { path_separated_prefix: "/api" }, requires: { provider_name: "b" } },
        { match: { prefix: "/CASE", case_sensitive: false }, requires: { provider_name: "c" } },
      ],
    });
    expect(statusWith(plugin, [], "/health?x=1")).toBe(200);
    expect(statusWith(plugin, [], "/health/x")).toBe(200);
    expect(statusWith(plugin, [], "/v2/open/doc")).toBe(200);
    expect(send(plugin, requestHeaders("/write", [], "POST")).stream.localReply!.status).toBe(401);
    expect(send(plugin, requestHeaders("/write", [["x-a", tokenFor(A)]], "PUT")).stream.localReply).toBeNull();
    expect(statusWith(plugin, [], "/write")).toBe(200);
    expect(statusWith(plugin, [], "/api")).toBe(401);
    expect(statusWith(plugin, [], "/api/x")).toBe(401);
    expect(statusWith(plugin, [], "/apix")).toBe(200);
    expect(statusWith(plugin, [["x-b", tokenFor(B)]], "/api/x")).toBe(200);
    expect(statusWith(plugin, [], "/case/x")).toBe(401);
  });

  it("matches subjects with a StringMatcher (SPIFFE prefix)", async () => {
    const plugin = await load(wasm, {
      providers: { main: provider({ subjects: { prefix: "spiffe://example.org/" } }) },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    });
    expect(statusFor(plugin, token("RS256", claims({ sub: "spiffe://example.org/ns/a" })))).toBe(200);
    expect(replyBody(plugin, token("RS256", claims({ sub: "spiffe://evil.org/ns/a" })))).toBe(
      "Jwt subject is not allowed",
    );
    expect(replyBody(plugin, token("RS256", claims({ sub: undefined })))).toBe("Jwt subject is not allowed");
  });

  it("enforces require_expiration, max_lifetime and a custom clock_skew_seconds", async () => {
    const strict = await load(wasm, {
      providers: { main: provider({ require_expiration: true }) },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    });
    expect(replyBody(strict, token("RS256", claims({ exp: undefined })))).toBe("Jwt has no expiration");
    expect(statusFor(strict, token("RS256", claims({ exp: NOW + 10 ** 8 })))).toBe(200);
    const limited = await load(wasm, {
      providers: { main: provider({ max_lifetime: "3600s", clock_skew_seconds: 5 }) },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    });
    expect(statusFor(limited, token("RS256", claims({ exp: NOW + 3600 })))).toBe(200);
    expect(replyBody(limited, token("RS256", claims({ exp: NOW + 3601 })))).toBe("Jwt lifetime is longer than allowed");
    expect(replyBody(limited, token("RS256", claims({ exp: undefined })))).toBe("Jwt has no expiration");
    expect(replyBody(limited, token("RS256", claims({ exp: NOW - 6 })))).toBe("Jwt is expired");
    expect(replyBody(limited, token("RS256", claims({ nbf: NOW + 6 })))).toBe("Jwt not yet valid");
    expect(statusFor(limited, token("RS256", claims({ nbf: NOW + 5 })))).toBe(200);
  });

  it("accepts only the allowed typ values when allowed_types is set (RFC 8725 3.11)", async () => {
    const plugin = await load(wasm, {
      providers: { main: provider({ allowed_types: ["at+jwt", "JWT"] }) },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    });
    expect(statusFor(plugin, token("RS256", claims(), { typ: "application/at+JWT" }))).toBe(200);
    expect(statusFor(plugin, token("RS256", claims(), { typ: "jwt" }))).toBe(200);
    expect(replyBody(plugin, token("RS256", claims(), { typ: "dpop+jwt" }))).toBe("Jwt header [typ] is not allowed");
    expect(replyBody(plugin, token("RS256", claims()))).toBe("Jwt header [typ] is not allowed");
  });

  it("accepts only the listed azp values when allowed_authorized_parties is set (OpenID Connect)", async () => {
    const plugin = await load(wasm, {
      providers: { main: provider({ allowed_authorized_parties: ["web-app", "cli"] }) },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    });
    expect(statusFor(plugin, token("RS256", claims({ azp: "cli" })))).toBe(200);
    expect(replyBody(plugin, token("RS256", claims({ azp: "other" })))).toBe("Jwt authorized party is not allowed");
    expect(replyBody(plugin, token("RS256", claims()))).toBe("Jwt authorized party is not allowed");
    expect(replyBody(plugin, token("RS256", claims({ azp: ["cli"] })))).toBe("Jwt authorized party is not allowed");
    expect(statusFor(plugin, token("RS256", claims({ azp: "other" })))).toBe(401);
  });

  it("accepts an issuer-less provider for any iss, and an empty audience list for any aud", async () => {
    const plugin = await load(wasm, {
      providers: { any: { local_jwks: { inline_string: JSON.stringify({ keys: [jwk(keys.p256)] }) } } },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "any" } }],
    });
    expect(statusFor(plugin, token("ES256", claims({ iss: "anyone", aud: "anything" })))).toBe(200);
  });

  describe("Istio RequestAuthentication jwtRules", () => {
    const rule = (issuer: string, extra: Record<string, unknown> = {}) => ({
      issuer,
      jwks: JSON.stringify({ keys: [jwk(keys.rsa)] }),
      ...extra,
    });

    it("lets a request without a token through and answers an invalid token 401 (Istio semantics)", async () => {
      const plugin = await load(wasm, { jwt_rules: [rule(A, { audiences: ["api.test"] })] });
      expect(statusWith(plugin, [])).toBe(200);
      expect(statusFor(plugin, tokenFor(A))).toBe(200);
      expect(statusFor(plugin, tokenFor(A, { exp: NOW - 1000 }))).toBe(401);
      expect(replyBody(plugin, tokenFor("https://evil.test"))).toBe("Jwt issuer is not configured");
      expect(statusFor(plugin, tokenFor(A, { aud: "x" }))).toBe(403);
      expect(statusFor(plugin, "garbage")).toBe(401);
    });

    it("reads fromHeaders host from :authority, as Envoy's request header map keeps it", async () => {
      const config = { jwt_rules: [rule(A, { fromHeaders: [{ name: "Host" }], forwardOriginalToken: true })] };
      const plugin = await load(wasm, config);
      const withAuthority = (value: string) =>
        send(plugin, [
          [":method", "GET"],
          [":path", "/"],
          [":authority", value],
        ]).stream;
      expect(withAuthority(tokenFor(A)).localReply).toBeNull();
      expect(withAuthority(tokenFor(A, { exp: NOW - 1000 })).localReply?.status).toBe(401);
    });

    it("publishes the principal <iss>/<sub> and strips the token unless forwardOriginalToken", async () => {
      const plugin = await load(wasm, { jwt_rules: [rule(A)] });
      const { stream, filterState } = send(plugin, requestHeaders("/", [["authorization", `Bearer ${tokenFor(A)}`]]));
      expect(filterState.text("wasm.envoy_as.jwt.principal")).toBe(`${A}/alice`);
      expect(stream.upstreamRequest.headers!.get("authorization")).toBeUndefined();
      const keep = await load(wasm, { jwt_rules: [rule(A, { forwardOriginalToken: true })] });
      const kept = send(keep, requestHeaders("/", [["authorization", `Bearer ${tokenFor(A)}`]])).stream;
      expect(kept.upstreamRequest.headers!.get("authorization")).toBe(`Bearer ${tokenFor(A)}`);
    });

    it("accepts tokens of any of several rules, each at its own locations, and bypasses CORS preflight", async () => {
      const plugin = await load(wasm, {
        jwt_rules: [
          rule(A),
          rule(B, {
            fromHeaders: [{ name: "x-jwt", prefix: "Token " }],
            fromParams: ["jwt"],
            fromCookies: ["session"],
            outputPayloadToHeader: "x-payload",
            outputClaimToHeaders: [{ header: "x-sub", claim: "sub" }],
            timeout: "5s",
            spaceDelimitedClaims: ["roles"],
          }),
        ],
      });
      expect(statusFor(plugin, tokenFor(A))).toBe(200);
      const b = send(
        plugin,
        requestHeaders("/", [
          ["x-jwt", `Token ${tokenFor(B)}`],
          ["x-sub", "spoof"],
        ]),
      ).stream;
      expect(b.localReply).toBeNull();
      expect(b.upstreamRequest.headers!.get("x-sub")).toBe("alice");
      expect(b.upstreamRequest.headers!.get("x-payload")).toBe(tokenFor(B).split(".")[1]);
      const withScope = tokenFor(B, { scope: "a b", permission: "p", roles: "x y" });
      const scoped = send(plugin, requestHeaders("/", [["cookie", `session=${withScope}`]]));
      expect(JSON.parse(scoped.filterState.text("wasm.envoy_as.jwt.claims")!)).toMatchObject({
        scope: ["a", "b"],
        permission: ["p"],
        roles: ["x", "y"],
      });
      expect(statusWith(plugin, [["cookie", `session=${tokenFor(A)}`]])).toBe(401);
      expect(statusWith(plugin, [["x-jwt", `Token ${tokenFor(B, { exp: NOW - 1000 })}`]])).toBe(401);
      const preflight = send(
        plugin,
        requestHeaders(
          "/",
          [
            ["origin", "https://x.test"],
            ["access-control-request-method", "GET"],
            ["x-jwt", "Token bad"],
          ],
          "OPTIONS",
        ),
      );
      expect(preflight.stream.localReply).toBeNull();
    });

    it("verifies tokens signed by an attacker with the wrong key as failures", async () => {
      const plugin = await load(wasm, { jwt_rules: [rule(A)] });
      const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const input = `${b64u('{"alg":"RS256"}')}.${b64u(JSON.stringify(claims({ iss: A })))}`;
      const forged = `${input}.${b64u(sign("sha256", Buffer.from(input), attacker.privateKey))}`;
      expect(replyBody(plugin, forged)).toBe("Jwt verification fails");
    });
  });
});

// jwt-authn: verification with every algorithm, Envoy's failure replies, token locations and what
// a verified request carries on (forward, payload header, claim headers, filter state).

import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import {
  ALGS,
  NOW,
  b64u,
  builds,
  claims,
  keys,
  load,
  provider,
  requestHeaders,
  send,
  simpleConfig,
  statusFor,
  token,
} from "./jwt-authn/support.js";

describe.each(builds)("jwt-authn (%s)", (wasm) => {
  it.each(ALGS)("accepts a valid %s token and forwards the request", async (alg) => {
    const plugin = await load(wasm, simpleConfig());
    expect(plugin.status).toBe("running");
    expect(statusFor(plugin, token(alg))).toBe(200);
  });

  it.each(ALGS)("rejects a %s token whose signature does not match (Jwt verification fails)", async (alg) => {
    const plugin = await load(wasm, simpleConfig());
    const good = token(alg);
    const forged = token(alg, claims({ sub: "mallory" })).split(".");
    const spliced = `${forged[0]}.${forged[1]}.${good.split(".")[2]}`;
    const { stream } = send(plugin, requestHeaders("/api", [["authorization", `Bearer ${spliced}`]]));
    expect(stream.localReply!.status).toBe(401);
    expect(new TextDecoder().decode(stream.localReply!.body)).toBe("Jwt verification fails");
  });

  it("answers a missing token with 401, Envoy's body and WWW-Authenticate without error= (1.2)", async () => {
    const plugin = await load(wasm, simpleConfig());
    const { stream } = send(plugin, requestHeaders("/api?x=1"));
    const reply = stream.localReply!;
    expect(reply.status).toBe(401);
    expect(new TextDecoder().decode(reply.body)).toBe("Jwt is missing");
    expect(reply.details).toBe("jwt_authn_access_denied{Jwt_is_missing}");
    expect(reply.headers).toEqual([["www-authenticate", 'Bearer realm="https://api.test/api?x=1"']]);
    expect(stream.upstreamRequest.headers).toBeNull();
  });

  it('adds error="invalid_token" when a token was present, and uses x-forwarded-proto for the realm', async () => {
    const plugin = await load(wasm, simpleConfig());
    const { stream } = send(
      plugin,
      requestHeaders("/p", [
        ["authorization", "Bearer not-a-token"],
        ["x-forwarded-proto", "http"],
      ]),
    );
    expect(stream.localReply!.headers).toEqual([
      ["www-authenticate", 'Bearer realm="http://api.test/p", error="invalid_token"'],
    ]);
    expect(stream.localReply!.details).toBe(
      "jwt_authn_access_denied{Jwt_is_not_in_the_form_of_Header.Payload.Signature_with_two_dots_and_3_sections}",
    );
  });

  it("cuts the realm's path to 256 bytes and escapes quotes in it", async () => {
    const plugin = await load(wasm, simpleConfig());
    const long = "/" + "a".repeat(300);
    const { stream } = send(plugin, requestHeaders(long));
    expect(stream.localReply!.headers[0]![1]).toBe(`Bearer realm="https://api.test${long.slice(0, 256)}"`);
    const quoted = send(plugin, requestHeaders('/q"x')).stream;
    expect(quoted.localReply!.headers[0]![1]).toBe('Bearer realm="https://api.test/q\\"x"');
  });

  it("answers a wrong audience with 403 (Envoy's JwtAudienceNotAllowed)", async () => {
    const plugin = await load(wasm, simpleConfig());
    const { stream } = send(
      plugin,
      requestHeaders("/api", [["authorization", `Bearer ${token("ES256", claims({ aud: "other" }))}`]]),
    );
    expect(stream.localReply!.status).toBe(403);
    expect(new TextDecoder().decode(stream.localReply!.body)).toBe("Audiences in Jwt are not allowed");
    expect(stream.localReply!.details).toBe("jwt_authn_access_denied{Audiences_in_Jwt_are_not_allowed}");
  });

  it("sends an empty body and no WWW-Authenticate with strip_failure_response", async () => {
    const plugin = await load(wasm, simpleConfig({}, { strip_failure_response: true }));
    const { stream } = send(plugin, requestHeaders("/api"));
    expect(stream.localReply!.status).toBe(401);
    expect(stream.localReply!.body.length).toBe(0);
    expect(stream.localReply!.headers).toEqual([]);
    expect(stream.localReply!.details).toBe("jwt_authn_access_denied{Jwt_is_missing}");
  });

  it("removes the token header after success unless forward is set", async () => {
    const jwt = token("RS256");
    const stripped = send(
      await load(wasm, simpleConfig()),
      requestHeaders("/api", [["authorization", `Bearer ${jwt}`]]),
    );
    expect(stripped.stream.upstreamRequest.headers!.get("authorization")).toBeUndefined();
    const kept = send(
      await load(wasm, simpleConfig({ forward: true })),
      requestHeaders("/api", [["authorization", `Bearer ${jwt}`]]),
    );
    expect(kept.stream.upstreamRequest.headers!.get("authorization")).toBe(`Bearer ${jwt}`);
  });

  it("reads tokens from a header with a prefix found anywhere in the value, as Envoy's extractor does", async () => {
    const plugin = await load(wasm, simpleConfig({ from_headers: [{ name: "x-jwt", value_prefix: "jwt_value" }] }));
    const jwt = token("ES384");
    expect(send(plugin, requestHeaders("/", [["x-jwt", `jwt_value=${jwt}`]])).stream.localReply).toBeNull();
    expect(send(plugin, requestHeaders("/", [["x-jwt", `{"jwt_value": "${jwt}"}`]])).stream.localReply).toBeNull();
    // Without the prefix the location holds no token.
    expect(new TextDecoder().decode(send(plugin, requestHeaders("/", [["x-jwt", jwt]])).stream.localReply!.body)).toBe(
      "Jwt is missing",
    );
  });

  it("reads from_headers host from :authority, as Envoy's request header map keeps it", async () => {
    const plugin = await load(wasm, simpleConfig({ from_headers: [{ name: "Host" }], forward: true }));
    const withAuthority = (authority: string): [string, string][] => [
      [":method", "GET"],
      [":path", "/"],
      [":authority", authority],
    ];
    expect(send(plugin, withAuthority(token("ES256"))).stream.localReply).toBeNull();
    expect(send(plugin, withAuthority("api.test")).stream.localReply!.status).toBe(401);
  });

  it("takes the whole header value when the header has no prefix", async () => {
    const plugin = await load(wasm, simpleConfig({ from_headers: [{ name: "x-token" }] }));
    expect(send(plugin, requestHeaders("/", [["x-token", token("PS256")]])).stream.localReply).toBeNull();
    expect(send(plugin, requestHeaders("/", [["x-token", `Bearer ${token("PS256")}`]])).stream.localReply!.status).toBe(
      401,
    );
  });

  it("uses Authorization: Bearer and ?access_token= when no location is configured", async () => {
    const plugin = await load(wasm, simpleConfig());
    const jwt = token("EdDSA");
    const { stream } = send(plugin, requestHeaders(`/api?access_token=${jwt}&x=1`));
    expect(stream.localReply).toBeNull();
    // Parameters are not removed (Envoy removes header tokens only).
    expect(stream.upstreamRequest.headers!.get(":path")).toBe(`/api?access_token=${jwt}&x=1`);
  });

  it("reads tokens from configured query parameters and cookies", async () => {
    const plugin = await load(wasm, simpleConfig({ from_params: ["jwt"], from_cookies: ["session", "other"] }));
    const jwt = token("HS384");
    expect(send(plugin, requestHeaders(`/a?jwt=${jwt}`)).stream.localReply).toBeNull();
    expect(send(plugin, requestHeaders("/a", [["cookie", `a=1; session=${jwt}; b=2`]])).stream.localReply).toBeNull();
    expect(send(plugin, requestHeaders("/a", [["cookie", `other="${jwt}"`]])).stream.localReply).toBeNull();
    // The default locations no longer apply once any location is configured.
    expect(statusFor(plugin, jwt)).toBe(401);
  });

  it("requires every extracted token to verify: a good and a bad token fail (1.2)", async () => {
    const plugin = await load(wasm, simpleConfig({ from_headers: [{ name: "x-a" }, { name: "x-b" }] }));
    const good = token("RS256");
    expect(
      send(
        plugin,
        requestHeaders("/", [
          ["x-a", good],
          ["x-b", good],
        ]),
      ).stream.localReply,
    ).toBeNull();
    expect(
      send(
        plugin,
        requestHeaders("/", [
          ["x-a", good],
          ["x-b", "bad"],
        ]),
      ).stream.localReply!.status,
    ).toBe(401);
  });

  it("joins repeated headers as Envoy does, so only the first Bearer token is read", async () => {
    const plugin = await load(wasm, simpleConfig());
    const { stream } = send(
      plugin,
      requestHeaders("/", [
        ["authorization", `Bearer ${token("RS256")}`],
        ["authorization", "Bearer forged.forged.forged"],
      ]),
    );
    expect(stream.localReply).toBeNull();
  });

  it("adds the payload header (base64url, optionally padded) and removes a client's copy first", async () => {
    const payload = claims({ name: "Ann" });
    const jwt = token("RS256", payload);
    const segment = jwt.split(".")[1]!;
    const plugin = await load(wasm, simpleConfig({ forward_payload_header: "x-jwt-payload" }));
    const { stream } = send(
      plugin,
      requestHeaders("/", [
        ["x-jwt-payload", "spoofed"],
        ["authorization", `Bearer ${jwt}`],
      ]),
    );
    expect(stream.upstreamRequest.headers!.getAll("x-jwt-payload")).toEqual([segment]);
    expect(JSON.parse(Buffer.from(segment, "base64url").toString())).toEqual(payload);
    const padded = await load(wasm, simpleConfig({ forward_payload_header: "x-p", pad_forward_payload_header: true }));
    // Payload segments of every length base64url gives (0, 2 and 3 modulo 4), each sent twice: the
    // second request finds the token in the cache.
    const lengths = new Set<number>();
    for (const filler of ["", "x", "xy", "xyz"]) {
      const next = token("RS256", claims({ name: "Ann", filler }));
      const bare = next.split(".")[1]!;
      lengths.add(bare.length % 4);
      for (let round = 0; round < 2; round++) {
        const forwarded = send(padded, requestHeaders("/", [["authorization", `Bearer ${next}`]])).stream
          .upstreamRequest.headers!;
        expect(forwarded.get("x-p")).toBe(bare + "=".repeat((4 - (bare.length % 4)) % 4));
      }
    }
    expect([...lengths].sort()).toEqual([0, 2, 3]);
  });

  it("forwards one token's payload padded and unpadded when two providers that verify it ask for both", async () => {
    const plugin = await load(wasm, {
      providers: {
        padded: provider({ forward_payload_header: "x-padded", pad_forward_payload_header: true }),
        bare: provider({ forward_payload_header: "x-bare" }),
      },
      rules: [
        {
          match: { prefix: "/" },
          requires: { requires_all: { requirements: [{ provider_name: "padded" }, { provider_name: "bare" }] } },
        },
      ],
    });
    // A payload whose segment needs padding.
    const jwt = ["", "x", "xy"]
      .map((filler) => token("RS256", claims({ name: "Ann", filler })))
      .find((candidate) => candidate.split(".")[1]!.length % 4 !== 0)!;
    const segment = jwt.split(".")[1]!;
    for (let round = 0; round < 2; round++) {
      const forwarded = send(plugin, requestHeaders("/", [["authorization", `Bearer ${jwt}`]])).stream.upstreamRequest
        .headers!;
      expect(forwarded.get("x-bare")).toBe(segment);
      expect(forwarded.get("x-padded")).toBe(segment + "=".repeat(4 - (segment.length % 4)));
    }
  });

  it("copies claims to headers (strings, numbers, booleans, nested) and skips arrays, objects and missing claims", async () => {
    const plugin = await load(
      wasm,
      simpleConfig({
        claim_to_headers: [
          { header_name: "x-sub", claim_name: "sub" },
          { header_name: "x-n", claim_name: "n" },
          { header_name: "x-f", claim_name: "f" },
          { header_name: "x-admin", claim_name: "admin" },
          { header_name: "x-team", claim_name: "org.team.name" },
          { header_name: "x-list", claim_name: "roles" },
          { header_name: "x-obj", claim_name: "org" },
          { header_name: "x-none", claim_name: "absent" },
          { header_name: "x-crlf", claim_name: "crlf" },
        ],
      }),
    );
    const jwt = token(
      "ES256",
      claims({ n: 42, f: 1.5, admin: true, org: { team: { name: "core" } }, roles: ["a"], crlf: "a\r\nx-evil: 1" }),
    );
    const { stream } = send(
      plugin,
      requestHeaders("/", [
        ["x-sub", "root"],
        ["x-none", "spoofed"],
        ["x-list", "spoofed"],
        ["authorization", `Bearer ${jwt}`],
      ]),
    );
    const upstream = stream.upstreamRequest.headers!;
    expect(upstream.getAll("x-sub")).toEqual(["alice"]);
    expect(upstream.get("x-n")).toBe("42");
    expect(upstream.get("x-f")).toBe("1.5");
    expect(upstream.get("x-admin")).toBe("true");
    expect(upstream.get("x-team")).toBe("core");
    for (const absent of ["x-list", "x-obj", "x-none", "x-crlf", "x-evil"])
      expect(upstream.get(absent)).toBeUndefined();
  });

  it("removes spoofable claim headers even on requests no rule checks, and on failures", async () => {
    const plugin = await load(wasm, {
      providers: { main: provider({ claim_to_headers: [{ header_name: "x-user", claim_name: "sub" }] }) },
      rules: [{ match: { prefix: "/private" }, requires: { provider_name: "main" } }],
    });
    const open = send(plugin, requestHeaders("/public", [["x-user", "admin"]])).stream;
    expect(open.upstreamRequest.headers!.get("x-user")).toBeUndefined();
    expect(plugin.environment.metrics.counter("jwt_authn_not_required")).toBe(1n);
  });

  it("publishes the claims JSON and the principal <iss>/<sub> in filter state", async () => {
    const plugin = await load(wasm, simpleConfig());
    const payload = claims({ groups: ["dev"] });
    const { filterState } = send(plugin, requestHeaders("/", [["authorization", `Bearer ${token("RS384", payload)}`]]));
    expect(JSON.parse(filterState.text("wasm.envoy_as.jwt.claims")!)).toEqual(payload);
    expect(filterState.text("wasm.envoy_as.jwt.principal")).toBe("https://issuer.test/alice");
  });

  it("reads each request's own token when a client repeats or changes its header", async () => {
    const plugin = await load(wasm, simpleConfig());
    const alice = token("RS256");
    const bob = token("ES256", claims({ sub: "bob" }));
    const tampered = `${alice.slice(0, -4)}AAAA`;
    const principalOf = (jwt: string) => {
      const { stream, filterState } = send(plugin, requestHeaders("/", [["authorization", `Bearer ${jwt}`]]));
      return stream.localReply ? stream.localReply.status : filterState.text("wasm.envoy_as.jwt.principal");
    };
    const sequence = [alice, alice, bob, alice, tampered, alice, bob, bob].map(principalOf);
    const [a, b] = ["https://issuer.test/alice", "https://issuer.test/bob"];
    expect(sequence).toEqual([a, a, b, a, 401, a, b, b]);
  });

  it("writes the principal to principal_header, replacing a client's copy", async () => {
    const plugin = await load(wasm, simpleConfig({}, { principal_header: "x-principal" }));
    const { stream } = send(
      plugin,
      requestHeaders("/", [
        ["x-principal", "https://issuer.test/admin"],
        ["authorization", `Bearer ${token("RS256")}`],
      ]),
    );
    expect(stream.upstreamRequest.headers!.getAll("x-principal")).toEqual(["https://issuer.test/alice"]);
    const missing = send(plugin, requestHeaders("/", [["x-principal", "spoof"]])).stream;
    expect(missing.localReply!.status).toBe(401);
  });

  it("splits normalize_payload_in_metadata claims into lists in the published claims", async () => {
    const plugin = await load(
      wasm,
      simpleConfig({ normalize_payload_in_metadata: { space_delimited_claims: ["scope", "perm"] } }),
    );
    const payload = claims({ scope: "read  write", perm: 5, nested: { a: [1, 2.5, null, true, 'q"\\\n'] } });
    const { filterState } = send(plugin, requestHeaders("/", [["authorization", `Bearer ${token("ES256", payload)}`]]));
    expect(JSON.parse(filterState.text("wasm.envoy_as.jwt.claims")!)).toEqual({ ...payload, scope: ["read", "write"] });
  });

  it("publishes no principal when sub is absent, and nothing when the request fails", async () => {
    const plugin = await load(wasm, simpleConfig());
    const noSub = send(
      plugin,
      requestHeaders("/", [["authorization", `Bearer ${token("RS256", claims({ sub: undefined }))}`]]),
    );
    expect(noSub.filterState.text("wasm.envoy_as.jwt.claims")).toBeDefined();
    expect(noSub.filterState.text("wasm.envoy_as.jwt.principal")).toBeUndefined();
    const failed = send(plugin, requestHeaders("/"));
    expect(failed.filterState.keys()).toEqual([]);
  });

  it("lets CORS preflight through with bypass_cors_preflight, and only real preflights", async () => {
    const plugin = await load(wasm, simpleConfig({}, { bypass_cors_preflight: true }));
    const preflight: [string, string][] = [
      ["origin", "https://app.test"],
      ["access-control-request-method", "POST"],
    ];
    expect(send(plugin, requestHeaders("/api", preflight, "OPTIONS")).stream.localReply).toBeNull();
    expect(send(plugin, requestHeaders("/api", [preflight[0]!], "OPTIONS")).stream.localReply!.status).toBe(401);
    expect(send(plugin, requestHeaders("/api", preflight, "GET")).stream.localReply!.status).toBe(401);
    expect(plugin.environment.metrics.counter("jwt_authn_cors_preflight_bypassed")).toBe(1n);
    const strict = await load(wasm, simpleConfig());
    expect(send(strict, requestHeaders("/api", preflight, "OPTIONS")).stream.localReply!.status).toBe(401);
  });

  it("reads the path alone while no rule needs a token, and every header at once after a request that did", async () => {
    const traced = async (rules: object[]) => {
      const environment = new HostEnvironment({ startTime: BigInt(NOW) * 1_000_000_000n });
      const configuration = simpleConfig({}, { rules });
      return Plugin.load(wasm, { rootId: "jwt-authn", configuration, environment, trace: true });
    };
    // [single header reads, whole-map reads] of one request.
    const reads = (plugin: Plugin, path: string, extra: [string, string][] = []) => {
      const stream = plugin.newHttpStream();
      stream.sendRequestHeaders(requestHeaders(path, extra), true);
      expect(stream.localReply).toBeNull();
      const counts = plugin.trace!.countsByName(stream);
      return [counts["proxy_get_header_map_value"] ?? 0, counts["proxy_get_header_map_pairs"] ?? 0];
    };
    const bearer: [string, string][] = [["authorization", `Bearer ${token("RS256")}`]];
    const byPath = await traced([{ match: { prefix: "/api/" }, requires: { provider_name: "main" } }]);
    expect(reads(byPath, "/healthz")).toEqual([1, 0]);
    expect(reads(byPath, "/api/a", bearer)).toEqual([1, 1]);
    expect(reads(byPath, "/api/b", bearer)).toEqual([0, 1]);
    expect(reads(byPath, "/healthz")).toEqual([0, 1]);
    expect(reads(byPath, "/healthz")).toEqual([1, 0]);
    // A rule with methods needs the method as well: every request reads the whole map once.
    const byMethod = await traced([
      { match: { prefix: "/api/", methods: ["POST"] }, requires: { provider_name: "main" } },
    ]);
    expect(reads(byMethod, "/healthz")).toEqual([0, 1]);
    expect(reads(byMethod, "/api/a")).toEqual([0, 1]);
  });

  it("removes a client's copy of each header it writes, reading the path alone or every header first", async () => {
    const environment = new HostEnvironment({ startTime: BigInt(NOW) * 1_000_000_000n });
    const configuration = simpleConfig(
      { forward_payload_header: "x-payload", claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }] },
      { rules: [{ match: { prefix: "/api/" }, requires: { provider_name: "main" } }] },
    );
    const plugin = await Plugin.load(wasm, { rootId: "jwt-authn", configuration, environment, trace: true });
    const spoofed: [string, string][] = [
      ["x-sub", "mallory"],
      ["x-payload", "e30"],
      ["x-sub", "eve"],
    ];
    const bearer: [string, string][] = [["authorization", `Bearer ${token("RS256")}`]];
    // The headers the upstream gets for x-sub and x-payload, and the removes the filter made.
    const pass = (path: string, extra: [string, string][]) => {
      const stream = plugin.newHttpStream();
      stream.sendRequestHeaders(requestHeaders(path, extra), true);
      expect(stream.localReply).toBeNull();
      const upstream = stream.upstreamRequest.headers!;
      const removes = plugin.trace!.countsByName(stream)["proxy_remove_header_map_value"] ?? 0;
      return [upstream.get("x-sub") ?? null, upstream.get("x-payload") ?? null, removes];
    };
    expect(pass("/healthz", spoofed)).toEqual([null, null, 2]);
    expect(pass("/healthz", [])).toEqual([null, null, 2]);
    expect(pass("/api/a", [...bearer, ...spoofed]).slice(0, 2)).toEqual(["alice", token("RS256").split(".")[1]]);
    // After a request that needed a token every header is read first: only present copies are removed.
    expect(pass("/healthz", spoofed)).toEqual([null, null, 2]);
    expect(pass("/api/b", bearer).slice(0, 2)).toEqual(["alice", token("RS256").split(".")[1]]);
    expect(pass("/healthz", [])).toEqual([null, null, 0]);
  });

  it("counts allowed and denied requests, denials by reason", async () => {
    const plugin = await load(wasm, simpleConfig());
    statusFor(plugin, token("RS256"));
    statusFor(plugin, token("RS256", claims({ exp: NOW - 600 })));
    send(plugin, requestHeaders("/"));
    const metrics = plugin.environment.metrics;
    expect(metrics.counter("jwt_authn_allowed")).toBe(1n);
    expect(metrics.counter("reason=.=expired;.;jwt_authn_denied")).toBe(1n);
    expect(metrics.counter("reason=.=missing;.;jwt_authn_denied")).toBe(1n);
  });

  it("serves a repeated token from the cache without a second signature check", async () => {
    const plugin = await load(wasm, simpleConfig());
    const jwt = token("RS256");
    expect(statusFor(plugin, jwt)).toBe(200);
    expect(statusFor(plugin, jwt)).toBe(200);
    const metrics = plugin.environment.metrics;
    expect(metrics.counter("alg=.=RS256;.;jwt_authn_signature_checks")).toBe(1n);
    expect(metrics.counter("jwt_authn_jwt_cache_hit")).toBe(1n);
    expect(metrics.counter("jwt_authn_jwt_cache_miss")).toBe(1n);
  });

  it("re-checks time on a cache hit and forgets an expired token (cache honours exp)", async () => {
    const plugin = await load(wasm, simpleConfig());
    const jwt = token("ES256", claims({ exp: NOW + 10 }));
    expect(statusFor(plugin, jwt)).toBe(200);
    plugin.environment.clock.advance(71_000);
    expect(statusFor(plugin, jwt)).toBe(401);
    expect(plugin.environment.metrics.counter("reason=.=expired;.;jwt_authn_denied")).toBe(1n);
  });

  it("re-checks audiences on a cache hit", async () => {
    const plugin = await load(wasm, {
      providers: { main: provider({ audiences: [] }) },
      rules: [
        { match: { prefix: "/a" }, requires: { provider_and_audiences: { provider_name: "main", audiences: ["a"] } } },
        { match: { prefix: "/b" }, requires: { provider_and_audiences: { provider_name: "main", audiences: ["b"] } } },
      ],
    });
    const jwt = token("RS256", claims({ aud: "a" }));
    expect(statusFor(plugin, jwt, "/a")).toBe(200);
    expect(statusFor(plugin, jwt, "/b")).toBe(403);
    expect(plugin.environment.metrics.counter("jwt_authn_jwt_cache_hit")).toBe(1n);
  });

  it("bounds the cache: the least recently used token is evicted, and size 0 disables it", async () => {
    const plugin = await load(wasm, simpleConfig({ jwt_cache_config: { jwt_cache_size: 2 } }));
    const [a, b, c] = ["a", "b", "c"].map((sub) => token("HS256", claims({ sub })));
    for (const jwt of [a, b, a, c, a, b]) statusFor(plugin, jwt!);
    // a, b, c miss; a hits twice; c evicts b (least recent), so b misses again.
    expect(plugin.environment.metrics.counter("jwt_authn_jwt_cache_hit")).toBe(2n);
    expect(plugin.environment.metrics.counter("alg=.=HS256;.;jwt_authn_signature_checks")).toBe(4n);
    const off = await load(wasm, simpleConfig({ jwt_cache_config: { jwt_cache_size: 0 } }));
    statusFor(off, a!);
    statusFor(off, a!);
    expect(off.environment.metrics.counter("alg=.=HS256;.;jwt_authn_signature_checks")).toBe(2n);
    expect(off.environment.metrics.counter("jwt_authn_jwt_cache_hit")).toBe(0n);
  });

  it("keeps HMAC keys in an oct JWK usable with kid-less tokens and skips keys marked for encryption", async () => {
    const secret = b64u(keys.hmac);
    const plugin = await load(wasm, {
      providers: {
        main: {
          local_jwks: {
            inline_string: JSON.stringify({
              keys: [{ kty: "oct", k: secret, use: "enc" }, jwk2()],
            }),
          },
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    });
    expect(statusFor(plugin, token("HS256"))).toBe(401);
    expect(statusFor(plugin, token("RS256", claims(), { kid: "whatever" }))).toBe(200);
  });
});

function jwk2(): Record<string, unknown> {
  return { ...(keys.rsa.publicKey.export({ format: "jwk" }) as Record<string, unknown>) };
}

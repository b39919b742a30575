// jwt-authn with remote_jwks (filters.md 1.1, 1.2, 1.4, 1.7): requests wait for the first fetch
// and resume, failures and timeouts answer Envoy's 401 "Jwks remote fetch is failed", keys are
// refreshed after cache_duration while the old ones keep serving, an unknown kid refetches once
// per cooldown, retries back off, and one fetch serves every worker through shared data.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HostEnvironment, HttpCall, HttpStream, Plugin } from "../../harness/index.js";
import { NOW, builds, claims, jwk, keys, requestHeaders, token } from "./jwt-authn/support.js";

const URI = "https://idp.test/.well-known/jwks.json";
const rsaJwks = JSON.stringify({ keys: [jwk(keys.rsa, { kid: "rsa" })] });
const bothJwks = JSON.stringify({ keys: [jwk(keys.rsa, { kid: "rsa" }), jwk(keys.p256, { kid: "p256" })] });
const good = () => token("RS256", claims(), { kid: "rsa" });
const p256Token = () => token("ES256", claims(), { kid: "p256" });

function remoteConfig(remote: Record<string, unknown> = {}): object {
  return {
    providers: {
      main: {
        issuer: "https://issuer.test",
        audiences: ["api.test"],
        remote_jwks: { http_uri: { uri: URI, cluster: "idp", timeout: "2s" }, ...remote },
      },
    },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
  };
}

async function loadRemote(wasm: string, configuration: object, workers = 1): Promise<Plugin> {
  const environment = new HostEnvironment({ startTime: BigInt(NOW) * 1_000_000_000n, clusters: ["idp"] });
  return Plugin.load(wasm, { rootId: "jwt-authn", configuration, environment, workers });
}

function send(plugin: Plugin, jwt: string, worker = 0): HttpStream {
  const stream = plugin.newHttpStream(worker);
  stream.sendRequestHeaders(requestHeaders("/api", [["authorization", `Bearer ${jwt}`]]), true);
  return stream;
}

/** 200 when the request reached the upstream, the local reply's status, or "paused". */
function outcome(stream: HttpStream): number | "paused" {
  if (stream.localReply) return stream.localReply.status;
  return stream.upstreamRequest.headers ? 200 : "paused";
}

const body = (stream: HttpStream) => new TextDecoder().decode(stream.localReply!.body);
const ok = (jwks: string) => ({ headers: [[":status", "200"]] as [string, string][], body: jwks });

function onlyCall(plugin: Plugin): HttpCall {
  expect(plugin.httpCalls).toHaveLength(1);
  return plugin.httpCalls[0]!;
}

describe.each(builds)("jwt-authn remote JWKS (%s)", (wasm) => {
  it("pauses requests until the first fetch lands, then verifies them (filters.md 1.2)", async () => {
    const plugin = await loadRemote(wasm, remoteConfig());
    expect(plugin.status).toBe("running");
    expect(plugin.httpCalls).toEqual([]);
    const first = send(plugin, good());
    const second = send(plugin, token("RS256", claims({ exp: NOW - 3600 }), { kid: "rsa" }));
    expect([outcome(first), outcome(second)]).toEqual(["paused", "paused"]);
    const call = onlyCall(plugin);
    expect(call.cluster).toBe("idp");
    expect(call.header(":method")).toBe("GET");
    expect(call.header(":authority")).toBe("idp.test");
    expect(call.header(":path")).toBe("/.well-known/jwks.json");
    expect(call.timeoutMs).toBe(2000);
    call.respond(ok(rsaJwks));
    expect(outcome(first)).toBe(200);
    expect(outcome(second)).toBe(401);
    expect(body(second)).toBe("Jwt is expired");
    expect(outcome(send(plugin, good()))).toBe(200);
    expect(plugin.httpCalls).toEqual([]);
    expect(plugin.environment.metrics.counter("jwt_authn_jwks_fetch_success")).toBe(1n);
  });

  it("counts a token failed only once its outcome is final: not while it waited for keys", async () => {
    const plugin = await loadRemote(wasm, remoteConfig());
    const waited = [send(plugin, good()), send(plugin, good())];
    onlyCall(plugin).respond(ok(rsaJwks));
    expect(waited.map(outcome)).toEqual([200, 200]);
    const failed = (reason: string) =>
      plugin.environment.metrics.counter(`reason=.=${reason};.;jwt_authn_token_failed`) ?? 0n;
    expect(failed("jwks_fetch_failed")).toBe(0n);
    const refused = send(plugin, token("RS256", claims({ exp: NOW - 3600 }), { kid: "rsa" }));
    expect(outcome(refused)).toBe(401);
    expect(failed("expired")).toBe(1n);
  });

  it("does not wait for keys when no token needs them (Istio allow_missing)", async () => {
    const plugin = await loadRemote(wasm, {
      jwt_rules: [{ issuer: "https://issuer.test", jwksUri: URI, jwksCluster: "idp", timeout: "3s" }],
    });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(requestHeaders("/api"), true);
    expect(outcome(stream)).toBe(200);
    const withToken = send(plugin, good());
    expect(outcome(withToken)).toBe("paused");
    const call = onlyCall(plugin);
    expect(call.timeoutMs).toBe(3000);
    call.respond(ok(rsaJwks));
    expect(outcome(withToken)).toBe(200);
  });

  it.each([
    ["a 503", (call: HttpCall) => call.respond({ headers: [[":status", "503"]] })],
    ["a connection reset", (call: HttpCall) => call.resetConnection()],
    ["a failed call", (call: HttpCall) => call.fail()],
    ["a 404", (call: HttpCall) => call.respond({ headers: [[":status", "404"]] })],
    ["a body that is not a JWKS", (call: HttpCall) => call.respond(ok("<html>"))],
    ["a JWKS without usable keys", (call: HttpCall) => call.respond(ok('{"keys": []}'))],
  ])("answers waiting requests 401 Jwks remote fetch is failed after %s", async (_, answer) => {
    const plugin = await loadRemote(wasm, remoteConfig());
    const stream = send(plugin, good());
    answer(onlyCall(plugin));
    expect(outcome(stream)).toBe(401);
    expect(body(stream)).toBe("Jwks remote fetch is failed");
    expect(stream.localReply!.details).toBe("jwt_authn_access_denied{Jwks_remote_fetch_is_failed}");
    expect(plugin.environment.metrics.counter("jwt_authn_jwks_fetch_failed")).toBe(1n);
    expect(plugin.logMessages().some((m) => m.includes(`fetching the JWKS of provider main from ${URI} failed`))).toBe(
      true,
    );
  });

  it("fails fast within failed_refetch_duration, then fetches again", async () => {
    const plugin = await loadRemote(wasm, remoteConfig({ async_fetch: { failed_refetch_duration: "5s" } }));
    send(plugin, good());
    onlyCall(plugin).respond({ headers: [[":status", "500"]] });
    const soon = send(plugin, good());
    expect(outcome(soon)).toBe(401);
    expect(plugin.httpCalls).toEqual([]);
    plugin.environment.clock.advance(5000);
    // The main thread's tick started the fetch; the worker's request waits for it and picks the
    // keys up on the worker's next tick.
    const later = send(plugin, good());
    expect(outcome(later)).toBe("paused");
    expect(onlyCall(plugin).thread).toBe("main");
    onlyCall(plugin).respond(ok(rsaJwks));
    plugin.environment.clock.advance(1000);
    expect(outcome(later)).toBe(200);
  });

  it("fails waiting requests when the fetch times out after http_uri.timeout", async () => {
    const plugin = await loadRemote(wasm, remoteConfig());
    const stream = send(plugin, good());
    plugin.environment.clock.advance(1999);
    expect(outcome(stream)).toBe("paused");
    plugin.environment.clock.advance(1);
    expect(outcome(stream)).toBe(401);
    expect(body(stream)).toBe("Jwks remote fetch is failed");
  });

  it("retries a failed fetch with exponential backoff up to num_retries", async () => {
    const plugin = await loadRemote(
      wasm,
      remoteConfig({ retry_policy: { num_retries: 3, retry_back_off: { base_interval: "1s", max_interval: "3s" } } }),
    );
    const stream = send(plugin, good());
    onlyCall(plugin).respond({ headers: [[":status", "503"]] });
    // Retry 1 after 1 s, retry 2 after 2 s, retry 3 after 3 s (capped); ticks come every second.
    for (const delay of [1000, 2000, 3000]) {
      plugin.environment.clock.advance(delay - 1);
      expect(plugin.httpCalls).toEqual([]);
      plugin.environment.clock.advance(1);
      expect(outcome(stream)).toBe("paused");
      if (delay < 3000) onlyCall(plugin).resetConnection();
    }
    onlyCall(plugin).respond(ok(rsaJwks));
    expect(outcome(stream)).toBe(200);
    expect(plugin.environment.metrics.counter("jwt_authn_jwks_fetch_failed")).toBe(0n);
  });

  it("gives up after the retries and answers 401", async () => {
    const plugin = await loadRemote(wasm, remoteConfig({ retry_policy: {} }));
    const stream = send(plugin, good());
    onlyCall(plugin).fail();
    plugin.environment.clock.advance(1000);
    onlyCall(plugin).fail();
    expect(outcome(stream)).toBe(401);
    expect(plugin.environment.metrics.counter("jwt_authn_jwks_fetch_failed")).toBe(1n);
  });

  it("does not retry a 4xx", async () => {
    const plugin = await loadRemote(wasm, remoteConfig({ retry_policy: { num_retries: 2 } }));
    const stream = send(plugin, good());
    onlyCall(plugin).respond({ headers: [[":status", "403"]] });
    expect(outcome(stream)).toBe(401);
  });

  it("refreshes after cache_duration and serves the old keys until the new ones land", async () => {
    const plugin = await loadRemote(wasm, remoteConfig({ cache_duration: "60s" }));
    send(plugin, good());
    onlyCall(plugin).respond(ok(rsaJwks));
    plugin.environment.clock.advance(59_000);
    expect(plugin.httpCalls).toEqual([]);
    plugin.environment.clock.advance(1000);
    const refresh = onlyCall(plugin);
    // Stale keys still verify, without waiting, while the refresh runs.
    expect(outcome(send(plugin, good()))).toBe(200);
    const rotated = send(plugin, p256Token());
    expect(outcome(rotated)).toBe("paused");
    refresh.respond(ok(bothJwks));
    plugin.environment.clock.advance(1000);
    expect(outcome(rotated)).toBe(200);
    expect(outcome(send(plugin, p256Token()))).toBe(200);
  });

  it("keeps the old keys when a refresh fails, and tries again after failed_refetch_duration", async () => {
    const plugin = await loadRemote(wasm, remoteConfig({ cache_duration: "10s" }));
    send(plugin, good());
    onlyCall(plugin).respond(ok(rsaJwks));
    plugin.environment.clock.advance(10_000);
    onlyCall(plugin).respond({ headers: [[":status", "502"]] });
    expect(outcome(send(plugin, good()))).toBe(200);
    plugin.environment.clock.advance(1000);
    onlyCall(plugin).respond(ok(rsaJwks));
    expect(outcome(send(plugin, good()))).toBe(200);
  });

  it("refetches once for an unknown kid, then holds off for the cooldown", async () => {
    const plugin = await loadRemote(wasm, remoteConfig());
    send(plugin, good());
    onlyCall(plugin).respond(ok(rsaJwks));
    // Right after a fetch an unknown kid does not refetch.
    expect(body(send(plugin, p256Token()))).toBe("Jwks doesn't have key to match kid or alg from Jwt");
    expect(plugin.httpCalls).toEqual([]);
    plugin.environment.clock.advance(60_000);
    const rotated = send(plugin, p256Token());
    expect(outcome(rotated)).toBe("paused");
    const again = send(plugin, token("ES256", claims(), { kid: "other" }));
    onlyCall(plugin).respond(ok(rsaJwks));
    expect(body(rotated)).toBe("Jwks doesn't have key to match kid or alg from Jwt");
    expect(body(again)).toBe("Jwks doesn't have key to match kid or alg from Jwt");
    // A client sending unknown kids cannot make every request fetch.
    for (let i = 0; i < 5; i++) expect(outcome(send(plugin, token("ES256", claims(), { kid: `k${i}` })))).toBe(401);
    expect(plugin.httpCalls).toEqual([]);
    plugin.environment.clock.advance(60_000);
    const next = send(plugin, p256Token());
    onlyCall(plugin).respond(ok(bothJwks));
    expect(outcome(next)).toBe(200);
  });

  it("makes one fetch for two workers and the main thread, shared through shared data", async () => {
    const plugin = await loadRemote(wasm, remoteConfig(), 2);
    const first = send(plugin, good(), 0);
    const second = send(plugin, good(), 1);
    plugin.environment.clock.advance(1000);
    const call = onlyCall(plugin);
    expect([outcome(first), outcome(second)]).toEqual(["paused", "paused"]);
    call.respond(ok(rsaJwks));
    // The fetching worker resumes at once; the other picks the keys up on its next tick.
    plugin.environment.clock.advance(1000);
    expect([outcome(first), outcome(second)]).toEqual([200, 200]);
    expect(outcome(send(plugin, good(), 1))).toBe(200);
    expect(outcome(send(plugin, good(), 0))).toBe(200);
    expect(plugin.httpCalls).toEqual([]);
    expect(plugin.environment.metrics.counter("jwt_authn_jwks_fetch_success")).toBe(1n);
  });

  it("fetches on the main thread's tick before any request", async () => {
    const plugin = await loadRemote(wasm, remoteConfig(), 2);
    plugin.environment.clock.advance(1000);
    const call = onlyCall(plugin);
    expect(call.thread).toBe("main");
    call.respond(ok(rsaJwks));
    plugin.environment.clock.advance(1000);
    expect(outcome(send(plugin, good(), 0))).toBe(200);
    expect(outcome(send(plugin, good(), 1))).toBe(200);
    expect(plugin.httpCalls).toEqual([]);
  });

  it("never traps on whatever the JWKS server sends", async () => {
    const plugin = await loadRemote(wasm, remoteConfig({ async_fetch: { failed_refetch_duration: "0.001s" } }));
    const member = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean());
    const jwkArb = fc.dictionary(
      fc.constantFrom("kty", "kid", "n", "e", "crv", "x", "y", "k", "alg", "use", "key_ops", "d"),
      member,
    );
    const bodies = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 300 }),
      fc.array(jwkArb, { maxLength: 4 }).map((list) => JSON.stringify({ keys: list })),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.integer({ min: 200, max: 599 }), async (payload, status) => {
        plugin.environment.clock.advance(2);
        const stream = send(plugin, good());
        const call = plugin.httpCalls[0];
        if (call) call.respond({ headers: [[":status", String(status)]], body: payload });
        expect(plugin.status).toBe("running");
        expect([200, 401, "paused"]).toContain(outcome(stream));
      }),
      { numRuns: 150 },
    );
  });
});

// Every fault of issue 15 with its documented outcome, on the shipped configurations (the demo chain
// of envoy-configs/demo.yaml, abac-authz's example): the JWKS server down, slow, garbage, 500, keys
// without kid (filters/jwt-authn/README.md "Remote JWKS", "Verification"); the CUSTOM authorization
// service down or slow (filters/abac-authz/README.md "CUSTOM"); the log collector down
// (filters/telemetry/README.md "Collector"); a trap mid-stream under each failure policy and a VM
// that fails to start (harness/README.md "Failure policy", reference abi.md 8.3).

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFile } from "node:fs/promises";
import { type FilterChain, type HttpCall, LogLevel, ModuleLoadError, Plugin } from "../../harness/index.js";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { ingressPorts, writeWithPorts } from "../e2e/support/config.js";
import { claims, jwk, keys, token } from "../filters/jwt-authn/support.js";
import { MODULE_BASICS, wat } from "../support/wat.js";
import { abacWithProvider, counterOf, demoChain, pluginOf } from "./fault-setups.js";
import { DEMO_JWKS, answerUpstream, demoRequest, demoToken, replyText, statusOf } from "./demo-traffic.js";
import { FILTERS, exampleConfiguration, loadFilter } from "./support.js";

const FETCH_FAILED = "Jwks remote fetch is failed";
const ok = (body: string) => ({ headers: [[":status", "200"]] as [string, string][], body });
const viewer = () => demoToken("bob", "viewer");

function onlyCall(calls: HttpCall[]): HttpCall {
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

describe("fault: the JWKS endpoint (jwt-authn remote_jwks in the demo chain)", () => {
  const failures: [string, (call: HttpCall) => void][] = [
    ["is down (connection refused)", (call) => call.fail()],
    ["resets the connection", (call) => call.resetConnection()],
    ["answers 500", (call) => call.respond({ headers: [[":status", "500"]] })],
    ["answers garbage (HTML)", (call) => call.respond(ok("<html>down for maintenance</html>"))],
    ["answers JSON that is not a JWKS", (call) => call.respond(ok('{"keys": 5}'))],
  ];

  it.each(failures)(
    "%s: requests with a token get 401 'Jwks remote fetch is failed'; public and tokenless requests keep their answers",
    async (_, fail) => {
      const chain = await demoChain();
      const waiting = demoRequest(chain, "/api/hello", viewer());
      expect(statusOf(waiting)).toBe("paused");
      fail(onlyCall(pluginOf(chain, "jwt-authn").httpCalls));
      expect(statusOf(waiting)).toBe(401);
      expect(replyText(waiting)).toBe(FETCH_FAILED);
      expect(waiting.localReply!.details).toBe("jwt_authn_access_denied{Jwks_remote_fetch_is_failed}");
      expect(counterOf(chain, "jwt_authn_jwks_fetch_failed")).toBe(1);
      // Within failed_refetch_duration (1 s by default) a token fails at once, without a new fetch.
      const soon = demoRequest(chain, "/api/hello", viewer());
      expect([statusOf(soon), replyText(soon)]).toEqual([401, FETCH_FAILED]);
      expect(pluginOf(chain, "jwt-authn").httpCalls).toEqual([]);
      expect(statusOf(demoRequest(chain, "/public/status", null))).toBe(200);
      expect(replyText(demoRequest(chain, "/api/hello", null))).toBe("Jwt is missing");
      expect(chain.plugins.map((p) => p.trap)).toEqual([null, null, null, null]);
    },
  );

  it("comes back: after failed_refetch_duration the next fetch lands and tokens verify again", async () => {
    const chain = await demoChain();
    demoRequest(chain, "/api/hello", viewer());
    onlyCall(pluginOf(chain, "jwt-authn").httpCalls).fail();
    chain.plugins[0]!.environment.clock.advance(1000);
    // The main thread's tick started the refetch; the worker picks the keys up on its next tick.
    onlyCall(pluginOf(chain, "jwt-authn").httpCalls).respond(ok(DEMO_JWKS));
    chain.plugins[0]!.environment.clock.advance(1000);
    expect(statusOf(demoRequest(chain, "/api/hello", viewer()))).toBe(200);
    expect(counterOf(chain, "jwt_authn_jwks_fetch_success")).toBe(1);
  });

  it("is slow: the request waits until http_uri.timeout (2 s in demo.yaml), then gets 401 and the call is cancelled", async () => {
    const chain = await demoChain();
    const waiting = demoRequest(chain, "/api/hello", viewer());
    const call = onlyCall(pluginOf(chain, "jwt-authn").httpCalls);
    expect(call.timeoutMs).toBe(2000);
    chain.plugins[0]!.environment.clock.advance(1999);
    expect(statusOf(waiting)).toBe("paused");
    chain.plugins[0]!.environment.clock.advance(1);
    expect([statusOf(waiting), replyText(waiting)]).toEqual([401, FETCH_FAILED]);
    // The timed-out call is gone (Envoy cancels it), so nothing can answer it late.
    expect(pluginOf(chain, "jwt-authn").httpCalls).toEqual([]);
    expect(pluginOf(chain, "jwt-authn").trap).toBeNull();
  });

  it("under Istio jwt_rules (allow_missing) while down: tokenless requests pass jwt-authn without waiting, tokens get 401", async () => {
    const chain = await demoChain({
      edit: {
        "jwt-authn": (c) => {
          for (const key of Object.keys(c)) delete c[key];
          c["jwt_rules"] = [
            { issuer: "https://idp.demo.envoy-as", jwksUri: "http://idp.demo.envoy-as/jwks", jwksCluster: "idp" },
          ];
        },
      },
    });
    // No token: jwt-authn lets it through at once and abac-authz decides (no request principal: 403).
    const tokenless = demoRequest(chain, "/api/hello", null);
    expect([statusOf(tokenless), replyText(tokenless)]).toEqual([403, "RBAC: access denied"]);
    expect(statusOf(demoRequest(chain, "/public/status", null))).toBe(200);
    // The first request found the keys due and started the fetch without waiting for it.
    onlyCall(pluginOf(chain, "jwt-authn").httpCalls).fail();
    const withToken = demoRequest(chain, "/api/hello", viewer());
    expect([statusOf(withToken), replyText(withToken)]).toEqual([401, FETCH_FAILED]);
    expect(replyText(demoRequest(chain, "/api/hello", null))).toBe("RBAC: access denied");
    expect(statusOf(demoRequest(chain, "/public/status", null))).toBe(200);
  });

  it("serves keys without kid: a token with or without kid verifies with a key of its alg; other keys and algs get 401", async () => {
    const chain = await demoChain();
    const kidless = JSON.stringify({ keys: [jwk(keys.rsa, { alg: "RS256" })] });
    const first = demoRequest(chain, "/api/hello", demoToken("bob", "viewer", {}));
    onlyCall(pluginOf(chain, "jwt-authn").httpCalls).respond(ok(kidless));
    answerUpstream(first);
    expect(statusOf(first)).toBe(200);
    // A kid is compared only when both the token and the key have one (jwt_verify_lib).
    expect(statusOf(demoRequest(chain, "/api/hello", demoToken("bob", "viewer", { kid: "rotated" })))).toBe(200);
    const [head, payload] = demoToken("bob", "viewer", {}).split(".");
    const otherSignature = token("RS256", claims(), {}).split(".")[2];
    expect(replyText(demoRequest(chain, "/api/hello", `${head}.${payload}.${otherSignature}`))).toBe(
      "Jwt verification fails",
    );
    const es256 = demoRequest(chain, "/api/hello", demoToken("bob", "viewer", {}, "ES256"));
    expect(replyText(es256)).toBe("Jwks doesn't have key to match kid or alg from Jwt");
  });
});

describe("fault: the CUSTOM authorization service (abac-authz's example, provider orders-authz)", () => {
  const failures: [string, (call: HttpCall, plugin: Plugin) => void][] = [
    ["is down", (call) => call.fail()],
    ["resets the connection", (call) => call.resetConnection()],
    ["answers 503", (call) => call.respond({ headers: [[":status", "503"]], body: "overloaded" })],
    ["is slow (its 1 s timeout passes)", (_, plugin) => plugin.environment.clock.advance(1000)],
  ];

  const send = (plugin: Plugin, method: string) => {
    const stream = plugin.newHttpStream(0, { attributes: { "source.address": "10.0.0.1:5000" } });
    stream.sendRequestHeaders(
      [
        [":method", method],
        [":path", "/orders/7"],
        [":authority", "shop.test"],
        [":scheme", "http"],
      ],
      true,
    );
    return stream;
  };

  describe.each(failures)("when it %s", (_, fail) => {
    it("answers statusOnError (403 by default) with an empty body and ext_authz_error", async () => {
      const plugin = await abacWithProvider({});
      const stream = send(plugin, "GET");
      fail(onlyCall(plugin.httpCalls), plugin);
      expect(stream.localReply).toMatchObject({ status: 403, details: "ext_authz_error" });
      expect(stream.localReply!.body).toHaveLength(0);
      expect(stream.upstreamRequest.headers).toBeNull();
      expect(Number(plugin.environment.metrics.counter("abac_authz_ext_authz_error"))).toBe(1);
    });

    it("answers the configured statusOnError (503)", async () => {
      const plugin = await abacWithProvider({ statusOnError: "503" });
      const stream = send(plugin, "GET");
      fail(onlyCall(plugin.httpCalls), plugin);
      expect(stream.localReply).toMatchObject({ status: 503, details: "ext_authz_error" });
    });

    it("with failOpen lets the DENY and ALLOW policies decide (a GET passes, a POST without x-role gets 403)", async () => {
      const plugin = await abacWithProvider({ failOpen: true });
      const read = send(plugin, "GET");
      fail(onlyCall(plugin.httpCalls), plugin);
      expect(read.localReply).toBeNull();
      expect(read.upstreamRequest.headers).not.toBeNull();
      const write = send(plugin, "POST");
      fail(onlyCall(plugin.httpCalls), plugin);
      expect(write.localReply).toMatchObject({ status: 403, details: "abac_authz_denied" });
      expect(Number(plugin.environment.metrics.counter("abac_authz_ext_authz_failure_mode_allowed"))).toBe(2);
      expect(plugin.trap).toBeNull();
    });
  });

  it("is a cluster Envoy does not have: the check fails at once, with the warning naming the cluster", async () => {
    const plugin = await abacWithProvider({}, []);
    const stream = send(plugin, "GET");
    expect(plugin.httpCalls).toEqual([]);
    expect(stream.localReply).toMatchObject({ status: 403, details: "ext_authz_error" });
    expect(plugin.logMessages()).toContain(
      "abac-authz: the check could not be sent to cluster ext-authz (is it defined?)",
    );
  });
});

describe("fault: the access-log collector (telemetry in the demo chain)", () => {
  const drainWith = (chain: FilterChain, fail: (call: HttpCall) => void) => {
    chain.plugins[0]!.environment.clock.advance(1000);
    for (const call of pluginOf(chain, "telemetry").httpCalls) fail(call);
  };

  it.each([
    ["is down", (call: HttpCall) => call.fail()],
    ["answers 503", (call: HttpCall) => call.respond({ headers: [[":status", "503"]] })],
  ])(
    "%s: requests are unaffected; each attempt counts in batches_failed and the batch is dropped after max_retries (3)",
    async (_, fail) => {
      const chain = await demoChain();
      const statuses = ["/api/hello", "/public/status"].map((path) => statusOf(demoRequest(chain, path, null)));
      expect(statuses).toEqual([401, 200]);
      for (let attempt = 0; attempt < 4; attempt++) drainWith(chain, fail);
      expect(counterOf(chain, "telemetry_access_log_batches_failed")).toBe(4);
      expect(counterOf(chain, "telemetry_access_log_lines_dropped")).toBe(2);
      expect(counterOf(chain, "telemetry_access_log_lines_shipped")).toBe(0);
      drainWith(chain, fail);
      expect(pluginOf(chain, "telemetry").httpCalls).toEqual([]);
      expect(statusOf(demoRequest(chain, "/public/status", null))).toBe(200);
      expect(pluginOf(chain, "telemetry").trap).toBeNull();
    },
  );

  it("is slow: a batch times out after 5 s, counts as failed, and is sent again on a later tick", async () => {
    const chain = await demoChain();
    statusOf(demoRequest(chain, "/public/status", null));
    chain.plugins[0]!.environment.clock.advance(1000);
    const call = onlyCall(pluginOf(chain, "telemetry").httpCalls);
    expect(call.timeoutMs).toBe(5000);
    chain.plugins[0]!.environment.clock.advance(5000);
    expect(counterOf(chain, "telemetry_access_log_batches_failed")).toBe(1);
    chain.plugins[0]!.environment.clock.advance(1000);
    const retry = onlyCall(pluginOf(chain, "telemetry").httpCalls);
    expect(new TextDecoder().decode(retry.body)).toContain('"path":"/public/status"');
    retry.respond({ headers: [[":status", "204"]] });
    expect(counterOf(chain, "telemetry_access_log_lines_shipped")).toBe(1);
  });

  it("cannot keep up: the queue holds at most max_queue (1,000) lines, counts the rest as dropped, and requests pass", async () => {
    const chain = await demoChain();
    for (let i = 0; i < 1_200; i++) demoRequest(chain, "/public/status", null);
    expect(counterOf(chain, "telemetry_access_log_lines_dropped")).toBe(200);
    expect(statusOf(demoRequest(chain, "/public/status", null))).toBe(200);
  });
});

describe("fault: a trap mid-stream (the probe module behind the demo filters)", () => {
  const trap = (chain: FilterChain) => {
    const stream = chain.newStream();
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/public/status"],
        [":authority", "127.0.0.1:10000"],
        ["x-probe", "trap"],
      ],
      true,
    );
    return stream;
  };

  it("FAIL_CLOSED: the trapping request and every later one get 503 wasm_fail_stream; the plugin stays failed", async () => {
    const chain = await demoChain({ probe: "FAIL_CLOSED" });
    const inFlight = demoRequest(chain, "/api/hello", viewer());
    onlyCall(pluginOf(chain, "jwt-authn").httpCalls).respond(ok(DEMO_JWKS));
    expect(inFlight.upstreamRequest.headers!.get("x-probe-seen")).toBe("1");
    const trapped = trap(chain);
    expect(trapped.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    const probe = pluginOf(chain, "probe");
    expect(probe.trap!.message).toMatch(/^proxy_on_request_headers failed/);
    expect(probe.logMessages(LogLevel.Critical)).toHaveLength(1);
    // The request that was already upstream gets the 503 when its response reaches the dead filter.
    inFlight.sendResponseHeaders([[":status", "200"]], true);
    expect(inFlight.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    chain.plugins[0]!.environment.clock.advance(60_000);
    const later = demoRequest(chain, "/api/hello", viewer());
    answerUpstream(later);
    expect(later.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    // Filters in front still decide first: a request without a token never reaches the dead one.
    expect(statusOf(demoRequest(chain, "/api/hello", null))).toBe(401);
    expect(chain.plugins.slice(0, 4).map((p) => p.trap)).toEqual([null, null, null, null]);
  });

  it("FAIL_OPEN: the trapping request gets 503, later requests pass the other filters with the dead one skipped", async () => {
    const chain = await demoChain({ probe: "FAIL_OPEN" });
    expect(trap(chain).localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    const allowed = demoRequest(chain, "/api/hello", viewer());
    // jwt-authn fetches the keys first; then the request goes on past the dead probe.
    onlyCall(pluginOf(chain, "jwt-authn").httpCalls).respond(ok(DEMO_JWKS));
    answerUpstream(allowed);
    expect(statusOf(allowed)).toBe(200);
    expect(allowed.upstreamRequest.headers!.get("x-tenant")).toBe("acme");
    expect(allowed.upstreamRequest.headers!.get("x-probe-seen")).toBeUndefined();
    expect(statusOf(demoRequest(chain, "/api/hello", null))).toBe(401);
    expect(statusOf(demoRequest(chain, "/api/admin/users", viewer()))).toBe(403);
  });

  it("FAIL_RELOAD: requests get 503 until the 1 s backoff passes, then a fresh instance serves", async () => {
    const chain = await demoChain({ probe: "FAIL_RELOAD" });
    trap(chain);
    expect(demoRequest(chain, "/public/status", null).localReply!.details).toBe("wasm_fail_stream");
    chain.plugins[0]!.environment.clock.advance(1000);
    const served = demoRequest(chain, "/public/status", null);
    expect(statusOf(served)).toBe(200);
    expect(served.upstreamRequest.headers!.get("x-probe-seen")).toBe("1");
    expect(pluginOf(chain, "probe").trap).toBeNull();
  });
});

describe("fault: a VM that fails to start (Envoy rejects the filter configuration; at bootstrap it does not start)", () => {
  it.each(FILTERS)(
    "%s with a configuration it refuses: configure_failed, one error line, no stream served",
    async (filter) => {
      const plugin = await loadFilter(filter, '{"not": "this filter\'s configuration"');
      expect(plugin.status).toBe("configure_failed");
      expect(plugin.logMessages(LogLevel.Error)).toEqual([
        expect.stringMatching(`^${filter}: invalid configuration: `),
      ]);
      expect(() => plugin.newHttpStream()).toThrow(/not running \(configure_failed\)/);
    },
  );

  it("the dev proxy refuses to start the demo when one filter's configuration is refused, names it and prints its error line", async () => {
    const text = (await readFile("envoy-configs/demo.yaml", "utf8")).replace(
      '"issuer": "https://idp.demo.envoy-as"',
      '"issuer": 7',
    );
    const file = await writeWithPorts(parse(text) as Record<string, unknown>, await ingressPorts());
    const printed: string[] = [];
    await expect(DevProxy.start(await loadDevBootstrap(file), (line) => printed.push(line))).rejects.toThrow(
      /^filter jwt-authn \(build\/jwt-authn\.wasm\) did not start: .*jwt-authn: invalid configuration: providers\.demo-idp\.issuer/,
    );
    expect(printed.filter((line) => line.includes("[error]"))).toEqual([
      expect.stringMatching(
        /\]\[error\]\[wasm\] wasm log jwt-authn jwt-authn jwt-authn: jwt-authn: invalid configuration: providers\.demo-idp\.issuer/,
      ),
    ]);
  });

  it("a module that traps in _initialize is refused at load", async () => {
    const module = wat(`${MODULE_BASICS} (func (export "_initialize") unreachable)`);
    const error = await Plugin.load(module).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toBe("Wasm VM failed to start: unreachable");
  });

  it("a module that traps in proxy_on_vm_start, or returns false there, is start_failed", async () => {
    const trapping = wat(`${MODULE_BASICS}
      (func (export "proxy_on_context_create") (param i32 i32))
      (func (export "proxy_on_vm_start") (param i32 i32) (result i32) unreachable)`);
    const refusing = wat(`${MODULE_BASICS}
      (func (export "proxy_on_context_create") (param i32 i32))
      (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 0))`);
    const trapped = await Plugin.load(trapping);
    expect([trapped.status, trapped.failure]).toEqual(["start_failed", "proxy_on_vm_start failed: unreachable"]);
    const refused = await Plugin.load(refusing);
    expect([refused.status, refused.failure]).toEqual(["start_failed", "proxy_on_vm_start returned false"]);
  });

  it("the example configurations all start (the faults above are the only way to a failed start)", async () => {
    for (const filter of FILTERS)
      expect((await loadFilter(filter, await exampleConfiguration(filter))).status).toBe("running");
  });
});

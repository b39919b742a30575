// abac-authz CUSTOM policies: the check Envoy's HTTP ext_authz filter would send, and how its answer
// (allow, deny, error, failure, timeout, an unknown cluster) decides the request, before DENY and
// ALLOW policies (filters.md 2.1, Envoy source/extensions/filters/common/ext_authz/ext_authz_http_impl.cc).

import { describe, expect, it } from "vitest";
import { HostEnvironment, type HttpCall, type HttpStream, Plugin } from "../../harness/index.js";
import { builds, policy } from "./abac-authz/support.js";

type Headers = [string, string][];

const provider = (extra: object = {}) => ({
  name: "authz",
  envoyExtAuthzHttp: { cluster: "ext-authz", timeout: "0.25s", ...extra },
});
const customPolicy = (paths = ["/api/*"]) =>
  policy("ext", { action: "CUSTOM", provider: { name: "authz" }, rules: [{ to: [{ operation: { paths } }] }] });

async function load(wasm: string, configuration: object, clusters = ["ext-authz"]): Promise<Plugin> {
  const environment = new HostEnvironment({ clusters });
  return Plugin.load(wasm, { rootId: "abac-authz", configuration, environment });
}

function send(plugin: Plugin, path: string, headers: Headers = []): HttpStream {
  const stream = plugin.newHttpStream();
  const request: Headers = [
    [":method", "PUT"],
    [":path", path],
    [":authority", "shop.test"],
    [":scheme", "http"],
  ];
  stream.sendRequestHeaders([...request, ...headers], true);
  return stream;
}

function onlyCall(plugin: Plugin): HttpCall {
  expect(plugin.httpCalls).toHaveLength(1);
  return plugin.httpCalls[0]!;
}

/** 200 when the request reached the upstream, the local reply's status, or "paused". */
function outcome(stream: HttpStream): number | "paused" {
  if (stream.localReply) return stream.localReply.status;
  return stream.upstreamRequest.headers ? 200 : "paused";
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const counter = (plugin: Plugin, name: string) => Number(plugin.environment.metrics.counter(name));

describe.each(builds)("abac-authz CUSTOM (%s)", (wasm) => {
  it("sends the check Envoy's HTTP ext_authz sends and pauses the request until the answer", async () => {
    const config = {
      extension_providers: [
        provider({
          pathPrefix: "/check",
          includeRequestHeadersInCheck: ["x-user", "x-trace-*"],
          includeAdditionalHeadersInCheck: { "x-from": "envoy-as", "x-user": "fixed" },
        }),
      ],
      policies: [customPolicy()],
    };
    const plugin = await load(wasm, config);
    expect(plugin.status).toBe("running");
    const stream = send(plugin, "/api/items?id=7", [
      ["authorization", "Bearer t"],
      ["x-trace-a", "1"],
      ["x-trace-a", "2"],
      ["x-user", "alice"],
      ["cookie", "secret"],
      ["content-length", "12"],
    ]);
    expect(outcome(stream)).toBe("paused");
    const call = onlyCall(plugin);
    expect(call.cluster).toBe("ext-authz");
    expect(call.timeoutMs).toBe(250);
    expect(call.body).toHaveLength(0);
    expect(call.headers).toEqual([
      [":method", "PUT"],
      [":path", "/check/api/items?id=7"],
      [":authority", "shop.test"],
      ["content-length", "0"],
      ["authorization", "Bearer t"],
      ["x-trace-a", "1,2"],
      ["x-from", "envoy-as"],
      ["x-user", "fixed"],
    ]);
  });

  it("asks only when a CUSTOM rule matches", async () => {
    const plugin = await load(wasm, { extension_providers: [provider()], policies: [customPolicy()] });
    expect(outcome(send(plugin, "/public"))).toBe(200);
    expect(plugin.httpCalls).toEqual([]);
  });

  it("on 200 sets and removes request headers, adds response headers, then lets DENY and ALLOW decide", async () => {
    const config = {
      extension_providers: [
        provider({ headersToUpstreamOnAllow: ["x-auth-*"], headersToDownstreamOnAllow: ["x-quota"] }),
      ],
      policies: [
        customPolicy(),
        policy("deny-guests", {
          action: "DENY",
          rules: [{ when: [{ key: "request.headers[x-auth-role]", values: ["guest"] }] }],
        }),
      ],
    };
    const plugin = await load(wasm, config);
    const stream = send(plugin, "/api/a", [
      ["x-auth-role", "spoofed"],
      ["x-remove-me", "1"],
    ]);
    onlyCall(plugin).respond({
      headers: [
        [":status", "200"],
        ["x-auth-role", "admin"],
        ["x-auth-user", "alice"],
        ["x-quota", "9"],
        ["x-other", "ignored"],
        ["x-envoy-auth-headers-to-remove", "x-remove-me, :path"],
      ],
    });
    expect(outcome(stream)).toBe(200);
    const upstream = stream.upstreamRequest.headers!;
    expect(upstream.getAll("x-auth-role")).toEqual(["admin"]);
    expect(upstream.get("x-auth-user")).toBe("alice");
    expect(upstream.get("x-remove-me")).toBeUndefined();
    expect(upstream.get(":path")).toBe("/api/a");
    expect(upstream.get("x-other")).toBeUndefined();
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(stream.downstreamResponse.headers!.get("x-quota")).toBe("9");
    expect(counter(plugin, "abac_authz_ext_authz_ok")).toBe(1);

    const guest = send(plugin, "/api/b");
    plugin.httpCalls[0]!.respond({
      headers: [
        [":status", "200"],
        ["x-auth-role", "guest"],
      ],
    });
    expect(outcome(guest)).toBe(403);
    expect(guest.localReply!.details).toBe("abac_authz_denied_deny-guests");
  });

  it("judges DENY and ALLOW on the headers the provider set, even when the CUSTOM rule read them first", async () => {
    const config = {
      extension_providers: [provider({ headersToUpstreamOnAllow: ["x-auth-*"] })],
      policies: [
        policy("ext", {
          action: "CUSTOM",
          provider: { name: "authz" },
          rules: [{ when: [{ key: "request.headers[x-auth-role]", notValues: ["none"] }] }],
        }),
        policy("deny-guests", {
          action: "DENY",
          rules: [{ when: [{ key: "request.headers[x-auth-role]", values: ["guest"] }] }],
        }),
      ],
    };
    const plugin = await load(wasm, config);
    const stream = send(plugin, "/api/a", [["x-auth-role", "spoofed"]]);
    onlyCall(plugin).respond({
      headers: [
        [":status", "200"],
        ["x-auth-role", "guest"],
      ],
    });
    expect(outcome(stream)).toBe(403);
    expect(stream.localReply!.details).toBe("abac_authz_denied_deny-guests");
  });

  it("on another status answers with the service's status, body and headers (all but host by default)", async () => {
    const plugin = await load(wasm, { extension_providers: [provider()], policies: [customPolicy()] });
    const stream = send(plugin, "/api/a");
    onlyCall(plugin).respond({
      headers: [
        [":status", "401"],
        ["www-authenticate", 'Bearer realm="shop"'],
        ["content-type", "application/json"],
        ["host", "authz.internal"],
        ["x-reason", "expired"],
      ],
      body: '{"error":"expired"}',
    });
    const reply = stream.localReply!;
    expect(reply.status).toBe(401);
    expect(reply.details).toBe("ext_authz_denied");
    expect(text(reply.body)).toBe('{"error":"expired"}');
    expect(reply.headers).toEqual([
      ["www-authenticate", 'Bearer realm="shop"'],
      ["content-type", "application/json"],
      ["x-reason", "expired"],
    ]);
    expect(stream.downstreamResponse.headers!.getAll("content-type")).toEqual(["application/json"]);
    expect(counter(plugin, "abac_authz_ext_authz_denied")).toBe(1);
    expect(counter(plugin, "abac_authz_denied")).toBe(1);
    expect(plugin.logs.map((l) => l.message)).toContain(
      "abac-authz: denied PUT /api/a by ns[default]-policy[ext]-rule[0] (provider authz answered 401)",
    );
  });

  it("with headersToDownstreamOnDeny sends those headers plus www-authenticate and location", async () => {
    const config = {
      extension_providers: [provider({ headersToDownstreamOnDeny: ["x-r*"] })],
      policies: [customPolicy()],
    };
    const plugin = await load(wasm, config);
    const stream = send(plugin, "/api/a");
    onlyCall(plugin).respond({
      headers: [
        [":status", "302"],
        ["location", "https://login.test/"],
        ["x-reason", "login"],
        ["x-other", "no"],
      ],
    });
    expect(stream.localReply!.status).toBe(302);
    expect(stream.localReply!.headers).toEqual([
      ["location", "https://login.test/"],
      ["x-reason", "login"],
    ]);
  });

  const failures: [string, (call: HttpCall, plugin: Plugin) => void][] = [
    ["a 503", (call) => call.respond({ headers: [[":status", "503"]], body: "down" })],
    ["a reset", (call) => call.fail()],
    ["a timeout", (_call, plugin) => plugin.environment.clock.advance(250)],
  ];

  describe.each(failures)("when the check fails with %s", (_, fail) => {
    it("answers statusOnError (403 by default) with details ext_authz_error", async () => {
      const plugin = await load(wasm, { extension_providers: [provider()], policies: [customPolicy()] });
      const stream = send(plugin, "/api/a");
      fail(onlyCall(plugin), plugin);
      expect(stream.localReply).toMatchObject({ status: 403, details: "ext_authz_error" });
      expect(stream.localReply!.body).toHaveLength(0);
      expect(counter(plugin, "abac_authz_ext_authz_error")).toBe(1);
    });

    it("answers a configured statusOnError", async () => {
      const config = { extension_providers: [provider({ statusOnError: "503" })], policies: [customPolicy()] };
      const plugin = await load(wasm, config);
      const stream = send(plugin, "/api/a");
      fail(onlyCall(plugin), plugin);
      expect(stream.localReply!.status).toBe(503);
    });

    it("with failOpen lets DENY and ALLOW decide", async () => {
      const config = {
        extension_providers: [provider({ failOpen: true })],
        policies: [customPolicy(), policy("only-a", { rules: [{ to: [{ operation: { paths: ["/api/a"] } }] }] })],
      };
      const plugin = await load(wasm, config);
      const allowed = send(plugin, "/api/a");
      fail(plugin.httpCalls[0]!, plugin);
      expect(outcome(allowed)).toBe(200);
      const denied = send(plugin, "/api/b");
      fail(plugin.httpCalls[0]!, plugin);
      expect(denied.localReply).toMatchObject({ status: 403, details: "abac_authz_denied" });
      expect(counter(plugin, "abac_authz_ext_authz_failure_mode_allowed")).toBe(2);
    });
  });

  it("treats a cluster Envoy does not have as a failed check, at once", async () => {
    const plugin = await load(wasm, { extension_providers: [provider()], policies: [customPolicy()] }, []);
    const stream = send(plugin, "/api/a");
    expect(plugin.httpCalls).toEqual([]);
    expect(stream.localReply).toMatchObject({ status: 403, details: "ext_authz_error" });
    expect(plugin.logs.map((l) => l.message)).toContain(
      "abac-authz: the check could not be sent to cluster ext-authz (is it defined?)",
    );
  });

  it("derives Istio's cluster name from service and port", async () => {
    const config = {
      extension_providers: [
        { name: "authz", envoyExtAuthzHttp: { service: "authz.ns.svc.cluster.local", port: 8000 } },
      ],
      policies: [customPolicy()],
    };
    const plugin = await load(wasm, config, ["outbound|8000||authz.ns.svc.cluster.local"]);
    send(plugin, "/api/a");
    expect(onlyCall(plugin).cluster).toBe("outbound|8000||authz.ns.svc.cluster.local");
    expect(onlyCall(plugin).timeoutMs).toBe(600_000);
  });

  it("drops the answer for a client that left, without trapping", async () => {
    const plugin = await load(wasm, { extension_providers: [provider()], policies: [customPolicy()] });
    const stream = send(plugin, "/api/a");
    const call = onlyCall(plugin);
    stream.complete();
    call.respond({ headers: [[":status", "200"]] });
    expect(plugin.status).toBe("running");
    expect(counter(plugin, "abac_authz_ext_authz_ok")).toBe(0);
  });

  it("reports a dry-run CUSTOM policy without sending a check", async () => {
    const dryRun = { ...customPolicy(), dry_run: true };
    const plugin = await load(wasm, { extension_providers: [provider()], policies: [dryRun] });
    expect(outcome(send(plugin, "/api/a"))).toBe(200);
    expect(plugin.httpCalls).toEqual([]);
    expect(plugin.logs.map((l) => l.message)).toContain(
      "abac-authz: dry-run: would ask provider authz about PUT /api/a by ns[default]-policy[ext]-rule[0]",
    );
  });
});

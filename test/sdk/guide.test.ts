// The guide assembly/README.md: its snippets are excerpts of the guide filter
// (test/fixtures/guide, compiled with the other fixtures), and the filter does what the guide says.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FilterHeadersStatus, HostEnvironment, Plugin } from "../../harness/index.js";
import { builds, logged } from "./support.js";

const GUIDE = "assembly/README.md";
const FILTER = "test/fixtures/guide/index.ts";

function snippets(markdown: string, language: string): string[] {
  const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  return [...markdown.matchAll(fence)].map((m) => m[1]!);
}

const request = (extra: [string, string][] = [], path = "/orders"): [string, string][] => [
  [":method", "POST"],
  [":path", path],
  [":authority", "shop.test"],
  ...extra,
];

describe("the guide's code", () => {
  it("has only snippets that are excerpts of the compiled guide filter", () => {
    const filter = readFileSync(FILTER, "utf8");
    const code = snippets(readFileSync(GUIDE, "utf8"), "ts");
    expect(code.length).toBeGreaterThanOrEqual(8);
    for (const snippet of code) expect(filter, `not in ${FILTER}:\n${snippet}`).toContain(snippet);
  });
});

describe("the guide's harness snippet", () => {
  it("runs against the guide's filter and sees the user the auth service named", async () => {
    const [snippet] = snippets(readFileSync(GUIDE, "utf8"), "typescript");
    const runnable = snippet!
      .replace('"envoy-as/harness"', JSON.stringify(resolve("harness/index.js")))
      .replace('"build/api-gate.wasm"', '"build/fixtures/guide.wasm"');
    mkdirSync("build/guide", { recursive: true });
    writeFileSync("build/guide/snippet.ts", runnable);
    const { user } = (await import(resolve("build/guide/snippet.ts"))) as { user: string | null };
    expect(user).toBe("ada");
  });
});

describe.each(builds("guide"))("the guide's filter (%s)", (wasm) => {
  const environment = () => new HostEnvironment({ clusters: ["auth"] });
  const load = (env = environment(), configuration: object = { auth_cluster: "auth" }) =>
    Plugin.load(wasm, { rootId: "api-gate", configuration, environment: env });

  it("answers health checks itself", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request([], "/healthz"), true);
    expect(stream.localReply?.status).toBe(200);
  });

  it("denies a request without a key with 401 and counts it", async () => {
    const env = environment();
    const plugin = await load(env);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(request(), true)).toBe(FilterHeadersStatus.StopAllIterationAndWatermark);
    expect(stream.localReply?.status).toBe(401);
    expect(stream.localReply?.details).toBe("api_gate_missing_key");
    expect(env.metrics.counter("api_gate_denied_total")).toBe(1n);
    expect(env.metrics.counter("api_gate_requests_total")).toBe(1n);
  });

  it("checks a key with the auth cluster once, then remembers the user in shared data", async () => {
    const env = environment();
    const plugin = await load(env);
    const first = plugin.newHttpStream();
    first.sendRequestHeaders(request([["x-api-key", "k1"]]), true);
    const [call] = plugin.httpCalls;
    expect(call!.cluster).toBe("auth");
    expect(call!.headers).toContainEqual(["x-api-key", "k1"]);
    call!.respond({
      headers: [
        [":status", "200"],
        ["x-user", "ada"],
      ],
    });
    expect(first.upstreamRequest.headers?.get("x-user")).toBe("ada");
    first.sendResponseHeaders(
      [
        [":status", "200"],
        ["server", "upstream"],
      ],
      true,
    );
    expect(first.downstreamResponse.headers?.get("x-api-gate")).toBe("checked");
    expect(first.downstreamResponse.headers?.get("server")).toBeUndefined();
    expect(logged(plugin, "api-gate status")).toEqual(["api-gate status=200 key=k1"]);

    const second = plugin.newHttpStream();
    expect(second.sendRequestHeaders(request([["x-api-key", "k1"]]), true)).toBe(FilterHeadersStatus.Continue);
    expect(plugin.httpCalls).toEqual([]);
    expect(second.upstreamRequest.headers?.get("x-user")).toBe("ada");
  });

  it("denies a key the auth cluster rejects with 403", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request([["x-api-key", "bad"]]), true);
    plugin.httpCalls[0]!.respond({ headers: [[":status", "404"]] });
    expect(stream.localReply?.status).toBe(403);
  });

  it("rejects a body with a script tag with 400, and one over max_body_bytes with 413", async () => {
    const env = environment();
    const plugin = await load(env, { auth_cluster: "auth", max_body_bytes: 16 });
    plugin.newHttpStream().sendRequestHeaders(request([["x-api-key", "k2"]]), true);
    plugin.httpCalls[0]!.respond({
      headers: [
        [":status", "200"],
        ["x-user", "bob"],
      ],
    });
    const script = plugin.newHttpStream();
    script.sendRequestHeaders(request([["x-api-key", "k2"]]), false);
    script.sendRequestBody("<script>x", true);
    expect(script.localReply?.status).toBe(400);
    const large = plugin.newHttpStream();
    large.sendRequestHeaders(request([["x-api-key", "k2"]]), false);
    large.sendRequestBody("0123456789abcdefXYZ", true);
    expect(large.localReply?.status).toBe(413);
  });

  it("rejects a configuration without auth_cluster, naming the field", async () => {
    const plugin = await load(environment(), { max_body_bytes: 10 });
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages()).toContain("api-gate: invalid configuration: auth_cluster: is required");
  });

  it("counts the bytes of a TCP connection and closes it on QUIT", async () => {
    const plugin = await Plugin.load(wasm, { rootId: "api-gate-tcp" });
    const connection = plugin.newTcpStream();
    connection.sendDownstreamData("hello", false);
    connection.sendDownstreamData("QUIT\n", false);
    expect(connection.closed).toBe("wasm_downstream_close");
    expect(logged(plugin, "api-gate tcp")).toEqual(["api-gate tcp bytes=10"]);
  });
});

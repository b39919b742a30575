// header-rewrite in real Envoy (envoy-configs/header-rewrite.yaml), compared with the harness
// running the same module and configuration on the same headers: static operations, and a rule
// with captures, templates, a path and query rewrite and a JSON body edit.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { ingressPorts, loadBootstrap, wasmFilterConfiguration, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, type RunningEnvoy, startEnvoy } from "./support/envoy.js";
import { RecordingUpstream, sendRequest } from "./support/upstream.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();

const clientHeaders: [string, string][] = [
  ["x-internal-debug", "1"],
  ["x-trace-tag", "client"],
  ["x-tenant", "spoofed"],
  ["accept", "text/plain"],
];
const upstreamHeaders: [string, string][] = [
  ["x-upstream-secret", "s3cret"],
  ["cache-control", "max-age=60"],
  ["x-app", "catalog"],
];

function valuesOf(headers: [string, string][], name: string): string[] {
  return headers.filter(([k]) => k === name).map(([, v]) => v);
}

describe.skipIf(!envoy)(`header-rewrite in real Envoy ${envoy?.version ?? ""} via ${envoy?.via ?? ""}`, () => {
  const upstream = new RecordingUpstream(upstreamHeaders);
  let proxy: RunningEnvoy;
  let listenerPort = 0;

  beforeAll(async () => {
    const bootstrap = await loadBootstrap(root, "header-rewrite.yaml");
    const ports = await ingressPorts();
    listenerPort = ports.listeners.ingress;
    const config = await writeWithPorts(bootstrap, { ...ports, clusters: { upstream: await upstream.start() } });
    proxy = startEnvoy(envoy!, config, root);
    await proxy.waitReady(ports.admin);
  });

  afterAll(async () => {
    await proxy?.stop();
    await upstream.stop();
  });

  it("rewrites request and response headers, the same as the harness does", async () => {
    const response = await sendRequest(listenerPort, "/items?id=7", clientHeaders);
    expect(response.status).toBe(200);
    const received = upstream.requests.at(-1)!.headers;

    expect(valuesOf(received, "x-tenant")).toEqual(["acme"]);
    expect(valuesOf(received, "x-trace-tag")).toEqual(["client", "edge"]);
    expect(valuesOf(received, "x-internal-debug")).toEqual([]);
    expect(valuesOf(response.headers, "x-served-by")).toEqual(["envoy-as"]);
    expect(valuesOf(response.headers, "cache-control")).toEqual(["max-age=60,no-store"]);
    expect(valuesOf(response.headers, "x-upstream-secret")).toEqual([]);

    const bootstrap = await loadBootstrap(root, "header-rewrite.yaml");
    const plugin = await Plugin.load("build/header-rewrite.wasm", {
      name: "header-rewrite",
      rootId: "header-rewrite",
      configuration: wasmFilterConfiguration(bootstrap, "header-rewrite"),
    });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      [[":method", "GET"], [":path", "/items?id=7"], [":authority", `127.0.0.1:${listenerPort}`], ...clientHeaders],
      true,
    );
    stream.sendResponseHeaders([[":status", "200"], ...upstreamHeaders], false);

    const names = (entries: [string, string][]) => entries.map(([k]) => k).filter((k) => !k.startsWith(":"));
    const requestNames = new Set([...names(clientHeaders), ...names(stream.requestHeaders!.all())]);
    for (const name of requestNames) {
      expect(valuesOf(received, name), `request header ${name}`).toEqual(stream.requestHeaders!.getAll(name));
    }
    const responseNames = new Set([...names(upstreamHeaders), ...names(stream.responseHeaders!.all())]);
    for (const name of responseNames) {
      expect(valuesOf(response.headers, name), `response header ${name}`).toEqual(stream.responseHeaders!.getAll(name));
    }
    console.log(
      `real Envoy ${envoy!.version} (via ${envoy!.via}) and the harness agree on ` +
        `${requestNames.size} request and ${responseNames.size} response header names`,
    );
  });

  it("applies a rule's captures, templates, path, query and JSON body edits as the harness does", async () => {
    const body = '{"user":"alice","password":"s3cret","n":12345678901234567890}';
    const headers: [string, string][] = [
      ["content-type", "application/json"],
      ["content-length", String(body.length)],
      ["x-debug-trace", "1"],
    ];
    const path = "/api/v1/orders/7?q=shoes&page=2";
    const response = await sendRequest(listenerPort, path, headers, { method: "POST", body });
    expect(response.status).toBe(200);
    const received = upstream.requests.at(-1)!;

    const bootstrap = await loadBootstrap(root, "header-rewrite.yaml");
    const plugin = await Plugin.load("build/header-rewrite.wasm", {
      rootId: "header-rewrite",
      configuration: wasmFilterConfiguration(bootstrap, "header-rewrite"),
    });
    const stream = plugin.newHttpStream(0, { attributes: { "source.address": "127.0.0.1:50000" } });
    const request: [string, string][] = [
      [":method", "POST"],
      [":path", path],
      [":authority", `127.0.0.1:${listenerPort}`],
      ...headers,
    ];
    stream.sendRequestHeaders(request, false);
    stream.sendRequestBody(body, true);
    const harness = stream.upstreamRequest;

    expect(received.url).toBe(harness.headers!.get(":path"));
    expect(received.url).toBe("/orders/7?query=shoes&page=2&via=envoy-as");
    for (const name of ["x-resource", "x-client-ip", "x-debug-trace", "x-tenant", "content-length"]) {
      expect(valuesOf(received.headers, name), name).toEqual(harness.headers!.getAll(name));
    }
    expect(valuesOf(received.headers, "x-resource")).toEqual(["orders"]);
    expect(received.body).toBe(new TextDecoder().decode(harness.body));
    // The edit is textual: a number no double holds keeps its digits.
    expect(received.body).toBe('{"user":"alice","n":12345678901234567890,"meta":{"tenant":"acme"}}');
  });
});

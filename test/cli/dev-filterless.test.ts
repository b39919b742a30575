// A listener whose http_filters hold only the router is valid Envoy configuration: the dev proxy
// serves it too, passing the request and the response through unchanged (the baseline the
// dev-proxy benchmark measures the demo chain against).

import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { freePort, loadBootstrap, writeWithPorts } from "../e2e/support/config.js";

type Yaml = Record<string, unknown>;

// header-rewrite.yaml with its Wasm filter removed, so only the router is left.
async function routerOnly(): Promise<Yaml> {
  const bootstrap = (await loadBootstrap(process.cwd(), "header-rewrite.yaml")) as Yaml;
  const listener = ((bootstrap["static_resources"] as Yaml)["listeners"] as Yaml[])[0]!;
  const manager = ((listener["filter_chains"] as Yaml[])[0]!["filters"] as Yaml[])[0]!["typed_config"] as Yaml;
  manager["http_filters"] = (manager["http_filters"] as Yaml[]).filter((f) =>
    String((f["typed_config"] as Yaml)["@type"]).endsWith(".Router"),
  );
  expect(manager["http_filters"]).toHaveLength(1);
  return bootstrap;
}

describe("the dev proxy with a router-only listener", () => {
  let upstream: Server;
  let proxy: DevProxy;
  let listener = 0;
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string } | null = null;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
        res.writeHead(201, { "content-type": "text/plain", "x-upstream-secret": "kept" });
        res.end(`echo:${body}`);
      });
    });
    const upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, "127.0.0.1", resolve));
    listener = await freePort();
    const config = await writeWithPorts(await routerOnly(), {
      admin: await freePort(),
      listeners: { ingress: listener },
      clusters: { upstream: upstreamPort },
    });
    proxy = await DevProxy.start(await loadDevBootstrap(config));
  });

  afterAll(async () => {
    await proxy?.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it("forwards the request and returns the response unchanged", async () => {
    const response = await fetch(`http://127.0.0.1:${listener}/api/items?q=1`, {
      method: "POST",
      headers: { "x-internal-debug": "1", "content-type": "text/plain" },
      body: "hello",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-upstream-secret")).toBe("kept");
    expect(response.headers.get("x-served-by")).toBeNull();
    expect(await response.text()).toBe("echo:hello");
    expect(seen).toMatchObject({ method: "POST", url: "/api/items?q=1", body: "hello" });
    expect(seen!.headers["x-internal-debug"]).toBe("1");
    expect(seen!.headers["x-tenant"]).toBeUndefined();
  });

  it("answers many requests in a row", async () => {
    for (let i = 0; i < 50; i++) {
      const response = await fetch(`http://127.0.0.1:${listener}/n/${i}`);
      expect(response.status).toBe(201);
      expect(await response.text()).toBe("echo:");
    }
    expect(seen!.url).toBe("/n/49");
  });
});

// Bodies stream through both hosts (the dev proxy, and real Envoy when installed): with
// envoy-configs/header-rewrite.yaml, the upstream sees the first request chunk before the client
// sends the last, and the client gets the first response chunk before the upstream sends the last.

import { type IncomingMessage, type Server, createServer, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { freePort, loadBootstrap, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, startEnvoy } from "./support/envoy.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();

/** Resolves once `check` holds, or rejects after `ms`. */
function until(check: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error("timed out waiting for a chunk"));
      }
    }, 10);
  });
}

const hosts = [
  { name: "the dev proxy", skip: false },
  { name: `real Envoy ${envoy?.version ?? "(not installed: skipped)"}`, skip: !envoy },
];

describe.each(hosts)("streaming bodies through $name", ({ name, skip }) => {
  let upstream: Server;
  let host: { stop(): Promise<void> } | null = null;
  let listener = 0;
  // What the upstream has received so far, and a switch that lets it send its second chunk.
  let received = "";
  let releaseSecond: () => void = () => undefined;

  beforeAll(async () => {
    if (skip) return;
    upstream = createServer((req: IncomingMessage, res) => {
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (received += chunk));
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first;");
      new Promise<void>((resolve) => (releaseSecond = resolve)).then(
        () => req.on("end", () => res.end("second")),
        () => undefined,
      );
    });
    const upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, "127.0.0.1", resolve));
    const admin = await freePort();
    listener = await freePort();
    const config = await writeWithPorts(await loadBootstrap(root, "header-rewrite.yaml"), {
      admin,
      listeners: { ingress: listener },
      clusters: { upstream: upstreamPort },
    });
    if (name === "the dev proxy") {
      host = await DevProxy.start(await loadDevBootstrap(config));
    } else {
      const proxy = startEnvoy(envoy!, config, root);
      await proxy.waitReady(admin);
      host = proxy;
    }
  });

  afterAll(async () => {
    await host?.stop();
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
  });

  it.skipIf(skip)("passes each chunk on before the sender has finished", async () => {
    let got = "";
    let ended = false;
    const req = request(
      { host: "127.0.0.1", port: listener, method: "POST", path: "/upload", headers: { "content-type": "text/plain" } },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (got += chunk));
        res.on("end", () => (ended = true));
      },
    );
    req.write("one;");
    await until(() => received === "one;");
    await until(() => got === "first;");
    expect(ended).toBe(false);
    req.end("two");
    releaseSecond();
    await until(() => ended);
    expect([received, got]).toEqual(["one;two", "first;second"]);
  });
});

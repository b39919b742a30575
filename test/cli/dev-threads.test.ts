// The dev proxy runs the Wasm filters on a thread of their own, as Envoy runs them on its workers:
// while a filter computes, the proxy still accepts connections and answers a router-only listener,
// and a filter thread that cannot start is reported by its error alone.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevBootstrap, type Listener } from "../../cli/dev/bootstrap.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { MODULE_BASICS, wat } from "../support/wat.js";
import { freePort } from "../e2e/support/config.js";

// A filter whose on_request_headers counts to 2^31 before it lets the request go: about a second
// or more of guest code on this machine.
const SLOW_FILTER = wat(`${MODULE_BASICS}
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $i i32)
    (loop $spin
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spin (i32.gt_s (local.get $i) (i32.const 0))))
    (i32.const 0))`);

function listener(name: string, port: number, filterFile: string | null): Listener {
  return {
    name,
    address: "127.0.0.1",
    port,
    routeName: name,
    routes: [{ prefix: "/", cluster: "upstream" }],
    filters:
      filterFile === null
        ? []
        : [{ name: "slow", rootId: "", vmId: "", file: filterFile, configuration: "", failurePolicy: "FAIL_CLOSED" }],
  };
}

describe("the dev proxy's filter thread", () => {
  const directory = mkdtempSync(join(tmpdir(), "envoy-as-dev-threads-"));
  let upstream: Server;
  let proxy: DevProxy;
  let slow = 0;
  let direct = 0;
  let upstreamPort = 0;
  let bootstrap: DevBootstrap;

  beforeAll(async () => {
    upstream = createServer((req, res) => res.end(`upstream saw ${req.url}`));
    upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, "127.0.0.1", resolve));
    const file = join(directory, "slow.wasm");
    writeFileSync(file, SLOW_FILTER);
    [slow, direct] = [await freePort(), await freePort()];
    bootstrap = {
      listeners: [listener("slow", slow, file), listener("direct", direct, null)],
      clusters: new Map([
        ["upstream", { name: "upstream", address: "127.0.0.1", port: upstreamPort, connectTimeoutMs: 1000 }],
      ]),
      admin: null,
      node: { id: "test", metadata: {} },
      statsTags: [],
      unsupported: [],
    };
    proxy = await DevProxy.start(bootstrap, () => {});
  });

  afterAll(async () => {
    await proxy?.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    rmSync(directory, { recursive: true, force: true });
  });

  it("answers a router-only listener while a filter of another listener is still computing", async () => {
    const order: string[] = [];
    const through = async (port: number, name: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/${name}`);
      order.push(`${name} ${response.status} ${await response.text()}`);
    };
    const held = through(slow, "slow");
    // Long enough for the slow request to reach its filter, far shorter than the filter's loop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await through(direct, "direct");
    await held;
    expect(order).toEqual(["direct 200 upstream saw /direct", "slow 200 upstream saw /slow"]);
  });

  it("refuses to start when the admin address is taken, with the error alone", async () => {
    const printed: string[] = [];
    const [first, second] = [await freePort(), await freePort()];
    const taken: DevBootstrap = {
      ...bootstrap,
      listeners: [listener("slow", first, bootstrap.listeners[0]!.filters[0]!.file), listener("direct", second, null)],
      admin: { address: "127.0.0.1", port: upstreamPort },
    };
    await expect(DevProxy.start(taken, (line) => printed.push(line))).rejects.toThrow(
      `listen EADDRINUSE: address already in use 127.0.0.1:${upstreamPort}`,
    );
    expect(printed).toEqual([]);
  });
});

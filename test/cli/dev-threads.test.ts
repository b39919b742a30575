// The dev proxy runs the Wasm filters on a thread of their own, as Envoy runs them on its workers:
// while a filter computes, the proxy still accepts connections and answers a router-only listener;
// stopping ends a filter that never returns; a header Node cannot send fails that one request with
// a 500 naming it, and the proxy goes on serving; a filter thread that cannot start is reported by
// its error alone.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevBootstrap, type Listener } from "../../cli/dev/bootstrap.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { MODULE_BASICS, wat } from "../support/wat.js";
import { freePort } from "../e2e/support/config.js";

const CONTEXT = `(func (export "proxy_on_context_create") (param i32 i32))`;

// A filter whose on_request_headers never returns.
const ENDLESS_FILTER = wat(`${MODULE_BASICS} ${CONTEXT}
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (loop $spin (br $spin))
    (i32.const 0))`);

// A filter adding `x-bad: a<LF>b` to the request (map 0) or the response (map 2) headers.
function badHeaderFilter(map: 0 | 2): Uint8Array {
  const callback = map === 0 ? "proxy_on_request_headers" : "proxy_on_response_headers";
  return wat(`
    (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
    ${MODULE_BASICS} ${CONTEXT}
    (data (i32.const 64) "x-bad")
    (data (i32.const 80) "a\\0ab")
    (func (export "${callback}") (param i32 i32 i32) (result i32)
      (drop (call $add (i32.const ${map}) (i32.const 64) (i32.const 5) (i32.const 80) (i32.const 3)))
      (i32.const 0))`);
}

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
        : [{ name, rootId: "", vmId: "", file: filterFile, configuration: "", failurePolicy: "FAIL_CLOSED" }],
  };
}

async function answer(port: number, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return `${response.status} ${await response.text()}`;
}

describe("the dev proxy's filter thread", () => {
  const directory = mkdtempSync(join(tmpdir(), "envoy-as-dev-threads-"));
  const ports: Record<"endless" | "direct" | "badRequest" | "badResponse", number> = {
    endless: 0,
    direct: 0,
    badRequest: 0,
    badResponse: 0,
  };
  let upstream: Server;
  let upstreamPort = 0;
  let proxy: DevProxy | null = null;
  let bootstrap: DevBootstrap;

  const module = (name: string, bytes: Uint8Array) => {
    const file = join(directory, `${name}.wasm`);
    writeFileSync(file, bytes);
    return file;
  };

  beforeAll(async () => {
    upstream = createServer((req, res) => res.end(`upstream saw ${req.url}`));
    upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, "127.0.0.1", resolve));
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    bootstrap = {
      listeners: [
        listener("endless", ports.endless, module("endless", ENDLESS_FILTER)),
        listener("direct", ports.direct, null),
        listener("bad-request", ports.badRequest, module("bad-request", badHeaderFilter(0))),
        listener("bad-response", ports.badResponse, module("bad-response", badHeaderFilter(2))),
      ],
      clusters: new Map([
        ["upstream", { name: "upstream", address: "127.0.0.1", port: upstreamPort, connectTimeoutMs: 1000 }],
      ]),
      admin: null,
      node: { id: "test", metadata: {} },
      statsTags: [],
      unsupported: [],
    };
  });

  afterAll(async () => {
    await proxy?.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    rmSync(directory, { recursive: true, force: true });
  });

  it("fails only the request whose headers Node cannot send, with a 500 naming the header", async () => {
    proxy = await DevProxy.start(bootstrap, () => {});
    // Node's own words for the refusal ("Invalid character in header content"), naming the header.
    const invalid = /^500 dev proxy: [^\n]*character[^\n]*"x-bad"[^\n]*\n$/;
    expect(await answer(ports.badRequest, "/up")).toMatch(invalid);
    expect(await answer(ports.badResponse, "/down")).toMatch(invalid);
    expect(await answer(ports.badRequest, "/again")).toMatch(invalid);
    expect(await answer(ports.direct, "/still")).toBe("200 upstream saw /still");
  });

  it("answers a router-only listener while a filter never returns, and stops all the same", async () => {
    proxy ??= await DevProxy.start(bootstrap, () => {});
    let held = "pending";
    const endless = answer(ports.endless, "/endless").then(
      (text) => (held = text),
      () => (held = "connection closed"),
    );
    // Long enough for the request to reach its filter.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await answer(ports.direct, "/direct")).toBe("200 upstream saw /direct");
    expect(held).toBe("pending");
    await proxy.stop();
    proxy = null;
    await endless;
    expect(held).toBe("connection closed");
  });

  it("refuses to start when the admin address is taken, with the error alone", async () => {
    const printed: string[] = [];
    const taken: DevBootstrap = {
      ...bootstrap,
      listeners: [listener("direct", await freePort(), null)],
      admin: { address: "127.0.0.1", port: upstreamPort },
    };
    await expect(DevProxy.start(taken, (line) => printed.push(line))).rejects.toThrow(
      `listen EADDRINUSE: address already in use 127.0.0.1:${upstreamPort}`,
    );
    expect(printed).toEqual([]);
  });
});

// A dev proxy stream answers its client through a Downstream, so the same code serves a stream on
// the HTTP thread and on the filter thread; here a Downstream that records what the client got.

import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { type Cluster, type Listener } from "../../cli/dev/bootstrap.js";
import { FilterlessStream } from "../../cli/dev/filterless-stream.js";
import { type Downstream, ProxiedStream } from "../../cli/dev/proxied-stream.js";

const LISTENER: Listener = { name: "l", address: "127.0.0.1", port: 1, routeName: "r", routes: [], filters: [] };
const GET: [string, string][] = [
  [":method", "GET"],
  [":path", "/nowhere"],
  [":authority", "test"],
];

function recording(): { downstream: Downstream; got: unknown[] } {
  const got: unknown[] = [];
  const downstream: Downstream = {
    head: (status, headers, length) => got.push({ head: status, headers, length }),
    write: (chunk) => got.push({ write: Buffer.from(chunk).toString() }),
    end: () => got.push("end"),
    reset: () => got.push("reset"),
  };
  return { downstream, got };
}

describe("a dev proxy stream", () => {
  it("answers a 500 naming the dev proxy's own failure while the client has no response", () => {
    const { downstream, got } = recording();
    const stream = new FilterlessStream();
    let done = 0;
    const proxied = new ProxiedStream(LISTENER, new Map(), stream, downstream, () => done++);
    proxied.broke("the filter thread stopped");
    const body = "dev proxy: the filter thread stopped\n";
    expect(got).toEqual([{ head: 500, headers: [], length: body.length }, { write: body }, "end"]);
    expect([stream.completed, done]).toEqual([true, 1]);
  });

  it("leaves a stream that already ended alone", () => {
    const { downstream, got } = recording();
    const proxied = new ProxiedStream(LISTENER, new Map(), new FilterlessStream(), downstream, () => {});
    // No route matches: the router's own 404 ends the stream.
    proxied.start(GET, false);
    expect(got).toEqual([{ head: 404, headers: [], length: 0 }, "end"]);
    proxied.broke("too late");
    proxied.requestData(new Uint8Array([1]));
    expect(got).toHaveLength(2);
  });

  it("sends the upstream the path its route's prefix_rewrite makes, headers and all", async () => {
    const upstream = createServer((req, res) => res.end(`${req.url} ${req.headers["x-kept"]}`));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      const port = (upstream.address() as AddressInfo).port;
      const cluster: Cluster = { name: "up", address: "127.0.0.1", port, connectTimeoutMs: 1000 };
      const listener = { ...LISTENER, routes: [{ prefix: "/api/", prefixRewrite: "/v2/", cluster: "up" }] };
      const { downstream, got } = recording();
      await new Promise<void>((resolve) => {
        const proxied = new ProxiedStream(
          listener,
          new Map([["up", cluster]]),
          new FilterlessStream(),
          downstream,
          resolve,
        );
        const headers: [string, string][] = [
          [":method", "GET"],
          [":path", "/api/items?x=1"],
          [":authority", "test"],
          ["x-kept", "yes"],
        ];
        proxied.start(headers, false);
      });
      expect(got.filter((event) => typeof event === "object" && "write" in event!)).toEqual([
        { write: "/v2/items?x=1 yes" },
      ]);
    } finally {
      upstream.close();
    }
  });
});

// A dev proxy stream answers its client through a Downstream, so the same code serves a stream on
// the HTTP thread and on the filter thread; here a Downstream that records what the client got.

import { describe, expect, it } from "vitest";
import { type Listener } from "../../cli/dev/bootstrap.js";
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
});

// The benchmarks' Go SDK peer (bench/go-peer.ts, bench/peers/go-header-rewrite/) and
// build/header-rewrite.wasm with the configuration buildGoPeer gives are the same filter: for the
// same requests and responses both send the same headers upstream and to the client, so the
// size and throughput comparisons of bench/groups/peer.ts weigh equal work.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { LogLevel, Plugin } from "../../harness/index.js";
import { buildGoPeer } from "../../bench/go-peer.js";

type Headers = [string, string][];

interface Exchange {
  request: Headers;
  response: Headers;
}

interface Outcome {
  upstream: Headers;
  client: Headers;
}

const get = (extra: Headers = []): Headers => [
  [":method", "GET"],
  [":path", "/items?id=7"],
  [":authority", "shop.test"],
  ...extra,
];
const ok = (extra: Headers = []): Headers => [[":status", "200"], ...extra];

function exchange(plugin: Plugin, { request, response }: Exchange): Outcome {
  const stream = plugin.newHttpStream();
  stream.sendRequestHeaders(request, true);
  stream.sendResponseHeaders(response, true);
  stream.complete();
  return { upstream: stream.upstreamRequest.headers!.all(), client: stream.downstreamResponse.headers!.all() };
}

// Expected headers derived by hand from the six operations (set, add, remove on each side) and
// Envoy's header map rules as the harness models them: set removes every value and appends one
// entry, add appends an entry (an inline header such as a response's cache-control gets ",value"
// instead), remove drops every value.
const table: { name: string; exchange: Exchange; upstream: Headers; client: Headers }[] = [
  {
    name: "adds the set and added headers when none is present",
    exchange: { request: get(), response: ok() },
    upstream: get([
      ["x-tenant", "acme"],
      ["x-trace-tag", "edge"],
    ]),
    client: ok([
      ["x-served-by", "envoy-as"],
      ["cache-control", "no-store"],
    ]),
  },
  {
    name: "replaces every value of a set header, keeps the client's added one, removes the listed ones",
    exchange: {
      request: get([
        ["x-tenant", "evil"],
        ["x-internal-debug", "1"],
        ["x-tenant", "other"],
        ["x-trace-tag", "client"],
        ["x-internal-debug", "2"],
        ["accept", "*/*"],
      ]),
      response: ok([
        ["x-served-by", "origin"],
        ["cache-control", "max-age=60"],
        ["x-upstream-secret", "s"],
        ["content-type", "text/plain"],
      ]),
    },
    upstream: get([
      ["x-trace-tag", "client"],
      ["accept", "*/*"],
      ["x-tenant", "acme"],
      ["x-trace-tag", "edge"],
    ]),
    client: ok([
      ["cache-control", "max-age=60,no-store"],
      ["content-type", "text/plain"],
      ["x-served-by", "envoy-as"],
    ]),
  },
  {
    name: "leaves a header the rules do not name alone, even one that looks like a removed one",
    exchange: {
      request: get([["x-internal-debugger", "on"]]),
      response: ok([["x-upstream-secrets", "kept"]]),
    },
    upstream: get([
      ["x-internal-debugger", "on"],
      ["x-tenant", "acme"],
      ["x-trace-tag", "edge"],
    ]),
    client: ok([
      ["x-upstream-secrets", "kept"],
      ["x-served-by", "envoy-as"],
      ["cache-control", "no-store"],
    ]),
  },
];

describe("the Go SDK peer against header-rewrite with the equivalent configuration", () => {
  let ours: Plugin;
  let go: Plugin;

  beforeAll(async () => {
    const peer = await buildGoPeer();
    if ("skip" in peer) throw new Error(peer.skip);
    ours = await Plugin.load("build/header-rewrite.wasm", {
      rootId: "header-rewrite",
      configuration: peer.configuration,
    });
    go = await Plugin.load(peer.wasm, {});
  });

  it("starts both plugins", () => {
    expect([ours.status, go.status]).toEqual(["running", "running"]);
  });

  it.each(table)("$name", ({ exchange: sent, upstream, client }) => {
    const expected: Outcome = { upstream, client };
    expect(exchange(ours, sent)).toEqual(expected);
    expect(exchange(go, sent)).toEqual(expected);
  });

  it("sends the same headers both ways for any mix of the headers the rules name and others", () => {
    const name = fc.constantFrom(
      "x-tenant",
      "x-trace-tag",
      "x-internal-debug",
      "x-served-by",
      "cache-control",
      "x-upstream-secret",
      "accept",
      "x-other",
    );
    const value = fc.stringMatching(/^[a-z0-9=,.-]{1,12}$/);
    const extra = fc.array(fc.tuple(name, value), { maxLength: 8 });
    fc.assert(
      fc.property(extra, extra, (request, response) => {
        const sent = { request: get(request), response: ok(response) };
        expect(exchange(go, sent)).toEqual(exchange(ours, sent));
      }),
      { numRuns: 200 },
    );
  });

  it("logs no error and traps in neither module", () => {
    for (const plugin of [ours, go]) {
      expect(plugin.logMessages(LogLevel.Error)).toEqual([]);
      expect(plugin.trap).toBeNull();
    }
  });
});

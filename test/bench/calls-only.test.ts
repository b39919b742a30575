// The calls-only module (bench/fixtures/calls-only) makes, under each shipped filter's root id, the
// host calls the filter makes for the request its Envoy case sends, in the same callbacks and order,
// and leaves the same headers: otherwise `envoy.calls-only.<filter>` would not price that filter's
// calls.

import { beforeAll, describe, expect, it } from "vitest";
import { type HttpStream, Plugin } from "../../harness/index.js";
import { buildCallsOnly } from "../../bench/fixture-modules.js";
import { type Comparison, SHIPPED_FILTERS, callsOnly, shipped } from "../../bench/envoy-comparisons.js";
import { wasmFilterConfiguration } from "../e2e/support/config.js";

let callsOnlyWasm = "";

beforeAll(async () => {
  callsOnlyWasm = await buildCallsOnly();
}, 120_000);

// The request and response of `comparison` as Envoy's listener passes them to its first filter.
function exchange(plugin: Plugin, comparison: Comparison): HttpStream {
  const stream = plugin.newHttpStream();
  stream.sendRequestHeaders(
    [
      [":method", "GET"],
      [":path", comparison.path],
      [":authority", "127.0.0.1:10000"],
      [":scheme", "http"],
      ["user-agent", "wrk"],
      ...comparison.headers,
    ],
    true,
  );
  stream.sendResponseHeaders(
    [
      [":status", "200"],
      ["content-length", "3"],
    ],
    false,
  );
  stream.sendResponseBody("ok\n", true);
  return stream;
}

// A started trace's ids are random: only the header's shape is compared.
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

function comparable(headers: [string, string][]): [string, string][] {
  return headers.map(([name, value]) =>
    name === "traceparent" && TRACEPARENT.test(value) ? [name, "00-<trace>-<span>-flags"] : [name, value],
  );
}

// For the third of three requests (a timed request follows others like it): "callback host_function
// [property path]" for every host call, and the headers sent upstream and to the client.
async function thirdRequest(wasm: string, rootId: string, configuration: string, comparison: Comparison) {
  const plugin = await Plugin.load(wasm, { rootId, configuration, trace: true });
  expect(plugin.status, plugin.failure ?? "").toBe("running");
  exchange(plugin, comparison);
  exchange(plugin, comparison);
  const stream = exchange(plugin, comparison);
  return {
    calls: plugin
      .trace!.calls.filter((call) => call.context === stream)
      .map((call) => [call.callback, call.name, ...(call.path ?? [])].join(" ")),
    upstream: comparable(stream.upstreamRequest.headers!.all()),
    client: comparable(stream.downstreamResponse.headers!.all()),
  };
}

describe("the calls-only module", () => {
  for (const filter of SHIPPED_FILTERS) {
    it(`makes ${filter}'s host calls and header changes for its Envoy request`, async () => {
      const comparison = await shipped(filter);
      const configuration = wasmFilterConfiguration(comparison.bootstrap, filter);
      const expected = await thirdRequest(`build/${filter}.wasm`, filter, configuration, comparison);
      const onlyCalls = callsOnly(comparison, filter, callsOnlyWasm);
      const actual = await thirdRequest(callsOnlyWasm, filter, "{}", onlyCalls);
      expect(expected.calls.length).toBeGreaterThan(3);
      expect(actual).toEqual(expected);
    });
  }
});

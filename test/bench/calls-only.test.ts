// The calls-only module (bench/fixtures/calls-only) makes, under each shipped filter's root id, the
// host calls the filter makes for the request its Envoy case sends, in the same callbacks and order:
// otherwise `envoy.calls-only.<filter>` would not price that filter's calls.

import { beforeAll, describe, expect, it } from "vitest";
import { type HttpStream, Plugin } from "../../harness/index.js";
import { buildCallsOnly } from "../../bench/calls-only.js";
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

// "callback host_function [property path]" for every host call of the third of three requests (a
// timed request follows others like it).
async function callsOfThirdRequest(wasm: string, rootId: string, configuration: string, comparison: Comparison) {
  const plugin = await Plugin.load(wasm, { rootId, configuration, trace: true });
  expect(plugin.status, plugin.failure ?? "").toBe("running");
  exchange(plugin, comparison);
  exchange(plugin, comparison);
  const stream = exchange(plugin, comparison);
  return plugin
    .trace!.calls.filter((call) => call.context === stream)
    .map((call) => [call.callback, call.name, ...(call.path ?? [])].join(" "));
}

describe("the calls-only module", () => {
  for (const filter of SHIPPED_FILTERS) {
    it(`makes ${filter}'s host calls for its Envoy request`, async () => {
      const comparison = await shipped(filter);
      const configuration = wasmFilterConfiguration(comparison.bootstrap, filter);
      const expected = await callsOfThirdRequest(`build/${filter}.wasm`, filter, configuration, comparison);
      const onlyCalls = callsOnly(comparison, filter, callsOnlyWasm);
      const actual = await callsOfThirdRequest(callsOnlyWasm, filter, "{}", onlyCalls);
      expect(expected.length).toBeGreaterThan(3);
      expect(actual).toEqual(expected);
    });
  }
});

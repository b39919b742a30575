// The SDK's labelled metrics (assembly/metrics.ts): labels travel in the metric name in Istio's
// `label=.=value;.;` convention, and `stats_tags` entries from `labelTag` cut them back out
// (reference abi.md 5.6).

import { describe, expect, it } from "vitest";
import { HostEnvironment, labelTag, Plugin } from "../../harness/index.js";

const builds = ["build/fixtures/metrics.wasm", "build/fixtures/metrics.debug.wasm"];

function count(plugin: Plugin, action: string): void {
  plugin.newHttpStream().sendRequestHeaders(
    [
      [":method", "PUT"],
      [":path", "/"],
      [":authority", "example.test"],
      ["x-metric", action],
    ],
    true,
  );
}

describe.each(builds)("labelled metrics (%s)", (wasm) => {
  it("encodes label values into the name in Istio's convention, one stat per label set", async () => {
    const environment = new HostEnvironment();
    const plugin = await Plugin.load(wasm, { environment });
    count(plugin, "count");
    count(plugin, "count");
    expect(environment.metrics.counter("method=.=PUT;.;code=.=200;.;requests_total")).toBe(2n);
  });

  it("replaces ; and = in values so a value cannot end its field early", async () => {
    const environment = new HostEnvironment({ statsTags: [labelTag("method"), labelTag("code")] });
    const plugin = await Plugin.load(wasm, { environment });
    count(plugin, "count-odd-label");
    expect(environment.metrics.counter("method=.=a_b_c;.;code=.=x.y;.;requests_total")).toBe(2n);
    expect(environment.metrics.extractTags("wasmcustom.method=.=a_b_c;.;code=.=x.y;.;requests_total")).toEqual({
      name: "wasmcustom.requests_total",
      tags: [
        ["method", "a_b_c"],
        ["code", "x.y"],
      ],
    });
  });
});

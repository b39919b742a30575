// How the load tests are set up: every Wasm filter of a benchmarked Envoy fails closed (so a failed
// filter cannot be timed as throughput), and the two sides of a comparison take turns going first.

import { describe, expect, it } from "vitest";
import { failClosed } from "../../bench/envoy-comparisons.js";
import { type LoadFigures, type LoadTarget, compareUnderLoad } from "../../bench/load.js";
import { loadBootstrap } from "../e2e/support/config.js";

type Yaml = Record<string, unknown>;

// [filter name, failure policy or "-" for a filter that is not Wasm] for every HTTP filter.
function policies(bootstrap: Yaml): [string, string][] {
  const listeners = (bootstrap["static_resources"] as Yaml)["listeners"] as Yaml[];
  return listeners.flatMap((listener) =>
    (listener["filter_chains"] as Yaml[]).flatMap((chain) =>
      (chain["filters"] as Yaml[]).flatMap((manager) =>
        ((manager["typed_config"] as Yaml)["http_filters"] as Yaml[]).map((filter): [string, string] => {
          const config = (filter["typed_config"] as Yaml)["config"] as Yaml | undefined;
          return [filter["name"] as string, (config?.["failure_policy"] as string | undefined) ?? "-"];
        }),
      ),
    ),
  );
}

describe("failClosed", () => {
  it("turns telemetry's FAIL_OPEN to FAIL_CLOSED and leaves the router alone", async () => {
    const bootstrap = await loadBootstrap(process.cwd(), "telemetry.yaml");
    expect(policies(bootstrap)).toEqual([
      ["telemetry", "FAIL_OPEN"],
      ["envoy.filters.http.router", "-"],
    ]);
    failClosed(bootstrap);
    expect(policies(bootstrap)).toEqual([
      ["telemetry", "FAIL_CLOSED"],
      ["envoy.filters.http.router", "-"],
    ]);
  });
});

describe("compareUnderLoad", () => {
  it("warms both sides up, then alternates which goes first over five rounds, and takes the medians", async () => {
    const candidate: LoadTarget = { url: "http://127.0.0.1:1/candidate", headers: [] };
    const baseline: LoadTarget = { url: "http://127.0.0.1:1/baseline", headers: [] };
    const order: string[] = [];
    const figures = { candidate: [10, 50, 90, 20, 30], baseline: [100, 500, 900, 200, 300] };
    const load = (target: LoadTarget, seconds?: number): Promise<LoadFigures> => {
      const side = target === candidate ? "candidate" : "baseline";
      order.push(seconds === undefined ? side : `${side} warm-up`);
      const rps = seconds === undefined ? figures[side].shift()! : 1;
      return Promise.resolve({ requestsPerSecond: rps, p99Microseconds: rps * 2 });
    };
    const result = await compareUnderLoad(candidate, baseline, load);
    expect(order).toEqual([
      "baseline warm-up",
      "candidate warm-up",
      "baseline",
      "candidate",
      "candidate",
      "baseline",
      "baseline",
      "candidate",
      "candidate",
      "baseline",
      "baseline",
      "candidate",
    ]);
    expect(result).toEqual({
      candidate: { requestsPerSecond: 30, p99Microseconds: 60 },
      baseline: { requestsPerSecond: 300, p99Microseconds: 600 },
    });
  });
});

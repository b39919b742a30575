// Metric cases: the metrics fixture's `x-metric` header picks what to record.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const metrics: FidelitySetup = { name: "metrics", wasm: "build/fixtures/metrics.wasm" };

const action = (name: string, value: string): FidelityCase => ({ name, headers: [["x-metric", value]] });

export const metricsCases: FidelityCase[] = [
  action("increments a labelled counter", "count"),
  action("increments a counter whose labels need sanitising", "count-odd-label"),
  action("refuses a zero counter increment", "counter-zero"),
  action("adds a recorded value to a counter", "counter-record"),
  action("sets and adjusts a gauge", "gauge"),
  action("rejects incrementing a histogram", "histogram"),
  action("increments an unknown metric id", "unknown-id"),
  { name: "counts a POST under its own label", method: "POST", headers: [["x-metric", "count"]], body: "x" },
  { name: "counts a PUT under its own label", method: "PUT", headers: [["x-metric", "count"]], body: "y" },
  { name: "counts a DELETE under its own label", method: "DELETE", headers: [["x-metric", "count"]] },
  action("records nothing without a known action", "nothing"),
  { name: "records nothing without x-metric" },
  action("sets the gauge again to the same value", "gauge"),
  action("adds another recorded value to the counter", "counter-record"),
  action("reads x-metric whatever the case of the action", "COUNT"),
  { name: "counts a PATCH under its own label", method: "PATCH", headers: [["x-metric", "count"]], body: "z" },
  action("increments the sanitised counter again", "count-odd-label"),
];

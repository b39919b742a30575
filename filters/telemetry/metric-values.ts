// What each metric reports for one request: the standard metrics' amounts (1 request, duration in
// ms, request and response bytes with headers), a custom metric's CEL value, and each label's
// value (standard, or CEL: its string() text, `unknown` when it errors or is empty). Nothing here
// allocates for the standard metrics.

import {
  CelBool,
  CelDouble,
  CelDuration,
  CelInt,
  CelKind,
  CelUint,
  EnvoyAttributes,
  celText,
  getPropertyI64Or,
} from "../../assembly";
import { LabelSpec, MetricSpec } from "./config";
import { RequestFacts } from "./standard";

const REQUEST_DURATION = ["request", "duration"];
const REQUEST_TOTAL_SIZE = ["request", "total_size"];
const RESPONSE_TOTAL_SIZE = ["response", "total_size"];

/** What to report for `metric` (count, sample or gauge value), -1 for nothing; `attributes` must be set when its value is CEL. */
export function metricAmount(metric: MetricSpec, attributes: EnvoyAttributes | null): i64 {
  if (metric.standard == 0) return 1;
  if (metric.standard == 1) return nonNegative(getPropertyI64Or(REQUEST_DURATION, 0)) / 1_000_000;
  if (metric.standard == 2) return nonNegative(getPropertyI64Or(REQUEST_TOTAL_SIZE, 0));
  if (metric.standard == 3) return nonNegative(getPropertyI64Or(RESPONSE_TOTAL_SIZE, 0));
  const program = metric.value;
  if (program == null) return 1;
  const value = program.evaluate(attributes!);
  switch (value.kind) {
    case CelKind.Int:
      return changetype<CelInt>(value).value;
    case CelKind.Uint:
      return <i64>min(changetype<CelUint>(value).value, <u64>i64.MAX_VALUE);
    case CelKind.Double: {
      const n = changetype<CelDouble>(value).value;
      return n >= 0 && n < 9.2e18 ? <i64>Math.floor(n) : -1;
    }
    case CelKind.Bool:
      return changetype<CelBool>(value).value ? 1 : 0;
    case CelKind.Duration:
      return changetype<CelDuration>(value).nanos / 1_000_000;
  }
  return -1;
}

/** The value of one label: standard from `facts`, else its CEL program's text over `attributes` (`unknown` when it errors or is empty). */
export function labelValue(spec: LabelSpec, facts: RequestFacts, attributes: EnvoyAttributes | null): string {
  if (spec.standard >= 0) return facts.label(spec.standard);
  const text = celText(spec.program!.evaluate(attributes!));
  return text == null || text.length == 0 ? "unknown" : text;
}

function nonNegative(value: i64): i64 {
  return value < 0 ? 0 : value;
}

/** True when some metric or label of `metrics` is a CEL program (and so needs the request's attributes). */
export function usesCel(metrics: Array<MetricSpec>): bool {
  for (let i = 0; i < metrics.length; i++) {
    const metric = metrics[i];
    if (metric.value != null) return true;
    for (let j = 0; j < metric.labels.length; j++) if (metric.labels[j].program != null) return true;
  }
  return false;
}

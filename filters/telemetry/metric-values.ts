// What each metric reports for one request: the standard metrics' amounts (1 request, duration in
// ms, request and response bytes with headers), a custom metric's CEL value, and each label's
// value (standard, or CEL: its string() text, `unknown` when it errors or is empty).

import {
  CelBool,
  CelDouble,
  CelDuration,
  CelInt,
  CelKind,
  CelUint,
  EnvoyAttributes,
  Scalar,
  celText,
  getPropertyI64,
} from "../../assembly";
import { LabelSpec, MetricSpec } from "./config";
import { RequestFacts } from "./standard";

const REQUEST_DURATION = ["request", "duration"];
const REQUEST_TOTAL_SIZE = ["request", "total_size"];
const RESPONSE_TOTAL_SIZE = ["response", "total_size"];

/** Evaluates amounts and labels for the current request, at the end of the stream. */
export class MetricValues {
  constructor(private attributes: EnvoyAttributes) {}

  /** What to report (count, sample or gauge value); -1 when there is nothing to report. */
  amount(metric: MetricSpec): i64 {
    if (metric.standard == 0) return 1;
    if (metric.standard == 1) return scaled(getPropertyI64(REQUEST_DURATION), 1_000_000);
    if (metric.standard == 2) return scaled(getPropertyI64(REQUEST_TOTAL_SIZE), 1);
    if (metric.standard == 3) return scaled(getPropertyI64(RESPONSE_TOTAL_SIZE), 1);
    const program = metric.value;
    if (program == null) return 1;
    const value = program.evaluate(this.attributes);
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

  /** The value of one label. */
  label(spec: LabelSpec, facts: RequestFacts): string {
    if (spec.standard >= 0) return facts.label(spec.standard);
    const text = celText(spec.program!.evaluate(this.attributes));
    return text == null || text.length == 0 ? "unknown" : text;
  }
}

function scaled(value: Scalar<i64> | null, divisor: i64): i64 {
  return value == null || value.value < 0 ? 0 : value.value / divisor;
}

// One JSON line per request: each configured field evaluated at the end of the stream, when
// response attributes are known. CEL values are written as JSON (timestamps as RFC 3339 strings,
// durations as milliseconds); a field that errors or is absent is null.

import {
  CelBool,
  CelDouble,
  CelDuration,
  CelInt,
  CelKind,
  CelUint,
  CelValue,
  EnvoyAttributes,
  celText,
  jsonNumberText,
  jsonQuote,
} from "../../assembly";
import { AccessLogConfig, Builtin } from "./access-log-config";
import { RequestFacts } from "./standard";
import { TraceContext } from "./trace-context";

/** The line for the current request, or null when the filter or the sampling leaves it out; `facts` give `$response_flags`. */
export function accessLogLine(
  config: AccessLogConfig,
  attributes: EnvoyAttributes,
  facts: RequestFacts,
  trace: TraceContext | null,
  sample: f64,
): string | null {
  if (sample * 100 >= config.samplingPercentage) return null;
  const filter = config.filter;
  if (filter != null && !filter.test(attributes)) return null;
  const parts = new Array<string>();
  for (let i = 0; i < config.fields.length; i++) {
    const field = config.fields[i];
    const program = field.program;
    const value = program == null ? builtin(field.builtin, facts, trace) : jsonOf(program.evaluate(attributes));
    parts.push(jsonQuote(field.name) + ":" + value);
  }
  return "{" + parts.join(",") + "}";
}

function builtin(kind: Builtin, facts: RequestFacts, trace: TraceContext | null): string {
  if (kind == Builtin.ResponseFlags) return jsonQuote(facts.responseFlags());
  if (trace == null) return "null";
  if (kind == Builtin.TraceId) return jsonQuote(trace.traceId);
  if (kind == Builtin.SpanId) return jsonQuote(trace.spanId);
  return trace.sampled ? "true" : "false";
}

/** `value` as JSON text. */
export function jsonOf(value: CelValue): string {
  switch (value.kind) {
    case CelKind.Int:
      return changetype<CelInt>(value).value.toString();
    case CelKind.Uint:
      return changetype<CelUint>(value).value.toString();
    case CelKind.Double:
      return jsonNumberText(changetype<CelDouble>(value).value);
    case CelKind.Bool:
      return changetype<CelBool>(value).value ? "true" : "false";
    case CelKind.Duration:
      return (changetype<CelDuration>(value).nanos / 1_000_000).toString();
  }
  const text = celText(value);
  return text == null ? "null" : jsonQuote(text);
}

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
  StringBuilder,
  celText,
  jsonNumberText,
  writeJsonString,
} from "../../assembly";
import { AccessLogConfig, Builtin } from "./access-log-config";
import { RequestFacts } from "./standard";
import { TraceContext } from "./trace-context";

// Every line is built here and copied out once, instead of joining a string per field; made on first use.
@lazy const line = new StringBuilder(256);

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
  line.clear();
  line.code(0x7b);
  for (let i = 0; i < config.fields.length; i++) {
    const field = config.fields[i];
    if (i > 0) line.code(0x2c);
    line.text(field.key);
    const program = field.program;
    if (program == null) writeBuiltin(field.builtin, facts, trace);
    else writeJson(program.evaluate(attributes));
  }
  line.code(0x7d);
  return line.toString();
}

function writeBuiltin(kind: Builtin, facts: RequestFacts, trace: TraceContext | null): void {
  if (kind == Builtin.ResponseFlags) writeJsonString(line, facts.responseFlags());
  else if (trace == null) line.text("null");
  else if (kind == Builtin.TraceId) writeJsonString(line, trace.traceId);
  else if (kind == Builtin.SpanId) writeJsonString(line, trace.spanId);
  else line.text(trace.sampled ? "true" : "false");
}

// Appends `value` as JSON text.
function writeJson(value: CelValue): void {
  switch (value.kind) {
    case CelKind.Int:
      line.decimal(changetype<CelInt>(value).value);
      return;
    case CelKind.Uint:
      line.unsignedDecimal(changetype<CelUint>(value).value);
      return;
    case CelKind.Double:
      line.text(jsonNumberText(changetype<CelDouble>(value).value));
      return;
    case CelKind.Bool:
      line.text(changetype<CelBool>(value).value ? "true" : "false");
      return;
    case CelKind.Duration:
      line.decimal(changetype<CelDuration>(value).nanos / 1_000_000);
      return;
  }
  const text = celText(value);
  if (text == null) line.text("null");
  else writeJsonString(line, text);
}

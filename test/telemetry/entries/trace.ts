// Test entry: the telemetry filter's trace context (W3C traceparent/tracestate, B3, generation)
// through plain functions. A context comes back as "<traceId> <spanId> <flags hex> <sampled 0/1>
// <source>", or "invalid"; an absent B3 header is passed as "".

import {
  TraceContext,
  generateTraceContext,
  newSpanId,
  parseB3,
  parseTraceparent,
  validTracestate,
} from "../../../filters/telemetry/trace-context";

function describe(context: TraceContext | null): string {
  if (context == null) return "invalid";
  const flags = context.traceparent().substring(53);
  return (
    context.traceId + " " + context.spanId + " " + flags + " " + (context.sampled ? "1" : "0") + " " + context.source
  );
}

function absentIfEmpty(value: string): string | null {
  return value.length == 0 ? null : value;
}

// Bytes from hex digit pairs; a pair that is not hex reads as 0.
function bytesOf(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) {
    const parsed = I32.parseInt(hex.substring(i * 2, i * 2 + 2), 16);
    bytes[i] = isNaN(parsed) ? 0 : <u8>parsed;
  }
  return bytes;
}

/** The parsed traceparent, or "invalid". */
export function traceparent(value: string): string {
  return describe(parseTraceparent(value));
}

/** The parsed traceparent formatted again as a version 00 traceparent, or "invalid". */
export function traceparentRewritten(value: string): string {
  const context = parseTraceparent(value);
  return context == null ? "invalid" : context.traceparent();
}

/** Whether the tracestate value is valid. */
export function tracestate(value: string): bool {
  return validTracestate(value);
}

/** The context read from B3 headers ("" for an absent header), or "invalid". */
export function b3(single: string, traceId: string, spanId: string, sampled: string, flags: string): string {
  return describe(
    parseB3(
      absentIfEmpty(single),
      absentIfEmpty(traceId),
      absentIfEmpty(spanId),
      absentIfEmpty(sampled),
      absentIfEmpty(flags),
    ),
  );
}

/** The traceparent of a context generated from the hex-encoded random bytes. */
export function generate(hexBytes: string, sampled: bool): string {
  return generateTraceContext(bytesOf(hexBytes), sampled).traceparent();
}

/** The described context generated from the hex-encoded random bytes. */
export function generateDescribed(hexBytes: string, sampled: bool): string {
  return describe(generateTraceContext(bytesOf(hexBytes), sampled));
}

/** A span id made from the hex-encoded random bytes. */
export function spanId(hexBytes: string): string {
  return newSpanId(bytesOf(hexBytes));
}

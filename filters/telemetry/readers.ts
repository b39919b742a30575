// Small readers the configuration parsers share: CEL expressions and Prometheus names.

import { CelProgram, JsonReader } from "../../assembly";

/** Reads a CEL expression string and compiles it; null with the error recorded. */
export function cel(reader: JsonReader): CelProgram | null {
  const source = reader.string();
  if (!reader.ok) return null;
  const compiled = CelProgram.compile(source);
  if (compiled.program == null) reader.fail("invalid CEL expression: " + compiled.error);
  return compiled.program;
}

/** Whether `name` is a Prometheus metric or label name. */
export function isMetricName(name: string): bool {
  if (name.length == 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
    if (!letter && !(i > 0 && c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}

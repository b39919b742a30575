// Test entry: decimal text to double (parseDouble), through a plain function.

import { parseDouble } from "../../../assembly/parse-double";

/** The bits of parseDouble(text) as 16 hex digits (NaN as "nan"). */
export function parseBits(text: string): string {
  const value = parseDouble(text);
  if (isNaN(value)) return "nan";
  const hex = reinterpret<u64>(value).toString(16);
  return "0".repeat(16 - hex.length) + hex;
}

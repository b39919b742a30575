// Test entry: the SDK's JSON writer and in-place JSON edits through plain functions. Results that
// can fail come back as "error:<reason>" or the answer as text.

import { parseJsonString } from "../../../assembly/json/parser";
import { jsonRemoveAt, jsonSetAt, parseJsonPath } from "../../../assembly/json/edit";
import { jsonNumberText, jsonQuote, stringifyJson, writeJsonString } from "../../../assembly/json/writer";
import { StringBuilder } from "../../../assembly/string-builder";

/** Separates path segments in `pathSegments`' answer (a character no test path contains). */
const SEPARATOR = "\u0001";

/** `text` as a JSON string literal. */
export function quote(text: string): string {
  return jsonQuote(text);
}

/**
 * Code units `from` to `to` of `prefix`, then `text` as a JSON string literal, appended to a
 * builder that held other text before it was cleared keeping up to `keep` code units of buffer.
 */
export function quoteAfter(prefix: string, from: i32, to: i32, text: string, keep: i32): string {
  const out = new StringBuilder(1);
  out.text("text the builder drops");
  out.clear(keep);
  out.slice(prefix, from, to);
  writeJsonString(out, text);
  return out.toString();
}

/** `signed` and `unsigned` appended in decimal to a builder holding "<", separated by "|", then ">". */
export function decimals(signed: i64, unsigned: u64): string {
  const out = new StringBuilder(1);
  out.code(0x3c);
  out.decimal(signed);
  out.code(0x7c);
  out.unsignedDecimal(unsigned);
  out.code(0x3e);
  return out.toString();
}

/** `n` as JSON number text. */
export function numberText(n: f64): string {
  return jsonNumberText(n);
}

/** Parses `jsonText` and writes it back compactly; "error:..." when it does not parse. */
export function stringify(jsonText: string): string {
  const parsed = parseJsonString(jsonText);
  const value = parsed.value;
  if (value == null) return "error:" + parsed.error;
  return stringifyJson(value);
}

/** The segments of `path` joined by U+0001, or "null" when the path is invalid. */
export function pathSegments(path: string): string {
  const segments = parseJsonPath(path);
  return segments == null ? "null" : segments.join(SEPARATOR);
}

/** The document with `valueJson` set at `path`, or "error:...". */
export function setAt(text: string, path: string, valueJson: string): string {
  const segments = parseJsonPath(path);
  if (segments == null) return "error:invalid path";
  const edit = jsonSetAt(text, segments, valueJson);
  return edit.error.length > 0 ? "error:" + edit.error : edit.text;
}

/** Whether setting `valueJson` at `path` changed the document. */
export function setChanged(text: string, path: string, valueJson: string): bool {
  const segments = parseJsonPath(path);
  return segments != null && jsonSetAt(text, segments, valueJson).changed;
}

/** The document without the value at `path`, or "error:...". */
export function removeAt(text: string, path: string): string {
  const segments = parseJsonPath(path);
  if (segments == null) return "error:invalid path";
  const edit = jsonRemoveAt(text, segments);
  return edit.error.length > 0 ? "error:" + edit.error : edit.text;
}

/** Whether removing the value at `path` changed the document. */
export function removeChanged(text: string, path: string): bool {
  const segments = parseJsonPath(path);
  return segments != null && jsonRemoveAt(text, segments).changed;
}

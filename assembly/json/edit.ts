// Sets or removes one value of a JSON document by editing its text, so every byte outside the
// edited span (number spellings such as 1e400, whitespace, member order) stays as it was. The
// document is validated by the strict parser first; the scanner below then only meets valid JSON.

import { parseJsonString } from "./parser";
import { jsonQuote } from "./writer";
import { StringBuilder } from "../string-builder";

/** The outcome of an edit: the new text (or the input unchanged), whether it changed, and why not. */
export class JsonEdit {
  constructor(
    /** The edited document, or the input unchanged when nothing was edited. */
    public text: string,
    /** True when `text` differs from the input. */
    public changed: bool,
    /** Why the edit was refused; "" on success and when a value to remove was absent. */
    public error: string,
  ) {}
}

/** Splits a dot-separated path (`\.` is a dot, `\\` a backslash) into segments; null for an empty path, an empty segment or another escape. */
export function parseJsonPath(path: string): Array<string> | null {
  const segments = new Array<string>();
  let segment = new StringBuilder();
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c == 0x5c) {
      const next = path.charCodeAt(i + 1);
      if (next != 0x2e && next != 0x5c) return null;
      segment.code(next);
      i++;
    } else if (c == 0x2e) {
      if (segment.length == 0) return null;
      segments.push(segment.toString());
      segment = new StringBuilder();
    } else {
      segment.code(c);
    }
  }
  if (segment.length == 0) return null;
  segments.push(segment.toString());
  return segments;
}

/** Sets the value at `path` to the JSON text `valueJson`, creating missing members as nested objects; on failure the error says why and the text is unchanged. */
export function jsonSetAt(text: string, path: Array<string>, valueJson: string): JsonEdit {
  const invalid = refuse(text, path);
  if (invalid != null) return invalid;
  const why = "cannot set " + pathText(path) + ": ";
  let at = skipSpace(text, 0);
  if (!isContainer(text, at)) return new JsonEdit(text, false, why + "the document is not an object or array");
  for (let i = 0; ; i++) {
    const segment = path[i];
    const last = i == path.length - 1;
    if (!isContainer(text, at)) return new JsonEdit(text, false, why + segmentText(path[i - 1]) + " is not an object");
    const container = scanContainer(text, at);
    const isObject = text.charCodeAt(at) == 0x7b;
    let found = -1;
    if (isObject) {
      found = container.indexOfKey(segment);
    } else {
      const index = arrayIndex(segment);
      if (index < 0) return new JsonEdit(text, false, why + segmentText(segment) + " is not an array index");
      if (index > container.entries.length)
        return new JsonEdit(text, false, why + segment + " is past the end of the array");
      if (index < container.entries.length) found = index;
    }
    if (found >= 0) {
      const entry = container.entries[found];
      if (last) return splice(text, entry.valueStart, entry.end, valueJson);
      at = entry.valueStart;
      continue;
    }
    let inserted = nested(path, i + 1, valueJson);
    if (isObject) inserted = jsonQuote(segment) + ":" + inserted;
    const n = container.entries.length;
    if (n == 0) return splice(text, at + 1, at + 1, inserted);
    const end = container.entries[n - 1].end;
    return splice(text, end, end, "," + inserted);
  }
}

/** Removes the member or element at `path` with its separating comma; an absent path leaves the text unchanged without an error. */
export function jsonRemoveAt(text: string, path: Array<string>): JsonEdit {
  const invalid = refuse(text, path);
  if (invalid != null) return invalid;
  let at = skipSpace(text, 0);
  for (let i = 0; i < path.length; i++) {
    if (!isContainer(text, at)) break;
    const container = scanContainer(text, at);
    const found =
      text.charCodeAt(at) == 0x7b ? container.indexOfKey(path[i]) : arrayIndexBelow(path[i], container.entries.length);
    if (found < 0) break;
    const entries = container.entries;
    if (i < path.length - 1) {
      at = entries[found].valueStart;
      continue;
    }
    // Take the comma after the entry, or for the last of several the comma before it.
    if (found < entries.length - 1) return splice(text, entries[found].start, entries[found + 1].start, "");
    if (found > 0) return splice(text, entries[found - 1].end, entries[found].end, "");
    return splice(text, entries[found].start, entries[found].end, "");
  }
  return new JsonEdit(text, false, "");
}

// The refusal shared by both edits: an empty path or a document the strict parser rejects.
function refuse(text: string, path: Array<string>): JsonEdit | null {
  if (path.length == 0) return new JsonEdit(text, false, "empty path");
  const parsed = parseJsonString(text);
  if (!parsed.ok) return new JsonEdit(text, false, "not JSON: " + parsed.error);
  return null;
}

function splice(text: string, start: i32, end: i32, replacement: string): JsonEdit {
  const edited = text.substring(0, start) + replacement + text.substring(end);
  return new JsonEdit(edited, edited != text, "");
}

// The JSON for segments path[from..] wrapped around valueJson: {"b":{"c":1}} for b.c = 1.
function nested(path: Array<string>, from: i32, valueJson: string): string {
  let out = valueJson;
  for (let i = path.length - 1; i >= from; i--) out = "{" + jsonQuote(path[i]) + ":" + out + "}";
  return out;
}

// Writes segments back as a path, escaping as parseJsonPath reads them.
function pathText(path: Array<string>): string {
  const escaped = new Array<string>();
  for (let i = 0; i < path.length; i++) escaped.push(segmentText(path[i]));
  return escaped.join(".");
}

function segmentText(segment: string): string {
  return segment.replaceAll("\\", "\\\\").replaceAll(".", "\\.");
}

// A canonical non-negative decimal index ("0", "12"; not "01" or "+1"), or -1. Nine digits at most
// keep it in range; no document within the parser's size limit has that many elements.
function arrayIndex(segment: string): i32 {
  const n = segment.length;
  if (n == 0 || n > 9 || (n > 1 && segment.charCodeAt(0) == 0x30)) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = segment.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function arrayIndexBelow(segment: string, length: i32): i32 {
  const index = arrayIndex(segment);
  return index < length ? index : -1;
}

// One member or element: where it starts (its key for a member), where its value starts and its end.
class Entry {
  constructor(
    public key: string,
    public start: i32,
    public valueStart: i32,
    public end: i32,
  ) {}
}

class Container {
  entries: Array<Entry> = [];

  indexOfKey(key: string): i32 {
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i].key == key) return i;
    return -1;
  }
}

function isContainer(text: string, at: i32): bool {
  const c = text.charCodeAt(at);
  return c == 0x7b || c == 0x5b;
}

// Lists the entries of the valid object or array opening at `open`.
function scanContainer(text: string, open: i32): Container {
  const out = new Container();
  const isObject = text.charCodeAt(open) == 0x7b;
  let at = skipSpace(text, open + 1);
  const c = text.charCodeAt(at);
  if (c == 0x7d || c == 0x5d) return out;
  while (at < text.length) {
    const start = at;
    let key = "";
    if (isObject) {
      const keyEnd = skipString(text, at);
      key = unescapeString(text, at, keyEnd);
      at = skipSpace(text, skipSpace(text, keyEnd) + 1);
    }
    const end = skipValue(text, at);
    out.entries.push(new Entry(key, start, at, end));
    at = skipSpace(text, end);
    if (text.charCodeAt(at) != 0x2c) break;
    at = skipSpace(text, at + 1);
  }
  return out;
}

function skipSpace(text: string, at: i32): i32 {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
    at++;
  }
  return at;
}

// Returns the index just past the string literal opening at `at`.
function skipString(text: string, at: i32): i32 {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c == 0x22) return i + 1;
    i += c == 0x5c ? 2 : 1;
  }
  return text.length;
}

// Returns the index just past the value starting at `at`.
function skipValue(text: string, at: i32): i32 {
  const first = text.charCodeAt(at);
  if (first == 0x22) return skipString(text, at);
  if (first != 0x7b && first != 0x5b) {
    let i = at;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c == 0x2c || c == 0x7d || c == 0x5d || c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c == 0x22) {
      i = skipString(text, i);
      continue;
    }
    if (c == 0x7b || c == 0x5b) depth++;
    else if (c == 0x7d || c == 0x5d) {
      depth--;
      if (depth == 0) return i + 1;
    }
    i++;
  }
  return text.length;
}

// Decodes the valid string literal text[start..end) (quotes included), so keys compare by value.
function unescapeString(text: string, start: i32, end: i32): string {
  const raw = text.substring(start + 1, end - 1);
  if (!raw.includes("\\")) return raw;
  const out = new StringBuilder();
  let i = 0;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c != 0x5c) {
      out.code(c);
      i++;
      continue;
    }
    const e = raw.charCodeAt(i + 1);
    if (e == 0x75) {
      out.code(<i32>parseInt(raw.substring(i + 2, i + 6), 16));
      i += 6;
      continue;
    }
    if (e == 0x62) out.code(0x08);
    else if (e == 0x66) out.code(0x0c);
    else if (e == 0x6e) out.code(0x0a);
    else if (e == 0x72) out.code(0x0d);
    else if (e == 0x74) out.code(0x09);
    else out.code(e);
    i += 2;
  }
  return out.toString();
}

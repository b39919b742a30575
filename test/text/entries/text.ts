// Test entry: START_TIME formatting, query-string edits and ASCII case folding through plain
// functions. Query edits take a list of operations, one a line: `<op> <name> [<value>]`, each field
// percent-encoded.

import { asciiLowerCase } from "../../../assembly/ascii-case";
import { jsonQuote } from "../../../assembly/json/writer";
import { QueryString, percentDecode, percentEncodeQuery } from "../../../assembly/query-string";
import { formatEpochSeconds, formatStartTime, formatTime, isValidTimeFormat } from "../../../assembly/time-format";

/** formatTime. */
export function format(nanos: i64, fmt: string): string {
  return formatTime(nanos, fmt);
}

/** formatEpochSeconds. */
export function formatSeconds(seconds: i64, nanos: i32, fmt: string): string {
  return formatEpochSeconds(seconds, nanos, fmt);
}

/** formatStartTime. */
export function startTime(nanos: i64): string {
  return formatStartTime(nanos);
}

/** isValidTimeFormat. */
export function validFormat(fmt: string): string {
  return isValidTimeFormat(fmt);
}

/** The strict decoding, or "<null>". */
export function decode(text: string): string {
  const decoded = percentDecode(text);
  return decoded == null ? "<null>" : decoded;
}

/** percentEncodeQuery. */
export function encode(text: string): string {
  return percentEncodeQuery(text);
}

/** The path after `ops`, or "error:<reason>" for a bad op list. */
export function queryEdit(path: string, ops: string): string {
  const query = QueryString.parse(path);
  const error = apply(query, ops);
  return error.length > 0 ? "error:" + error : query.toPath();
}

/** The path after `ops`, from a QueryString that first held `before` edited by the same ops (reparse). */
export function queryEditReused(before: string, path: string, ops: string): string {
  const query = QueryString.parse(before);
  const first = apply(query, ops);
  if (first.length > 0) return "error:" + first;
  query.toPath();
  query.reparse(path);
  const error = apply(query, ops);
  return error.length > 0 ? "error:" + error : query.toPath();
}

/** The decoded parameters after `ops` as a JSON array of [name, value] pairs, then the results of `get` and `getAll` for `name`. */
export function queryView(path: string, ops: string, name: string): string {
  const query = QueryString.parse(path);
  const error = apply(query, ops);
  if (error.length > 0) return "error:" + error;
  let out = '{"params":[';
  for (let i = 0; i < query.count; i++) {
    if (i > 0) out += ",";
    out += "[" + jsonQuote(query.nameAt(i) as string) + "," + jsonQuote(query.valueAt(i) as string) + "]";
  }
  const first = query.get(name);
  out += '],"get":' + (first == null ? "null" : jsonQuote(first)) + ',"all":[';
  const all = query.getAll(name);
  for (let i = 0; i < all.length; i++) out += (i > 0 ? "," : "") + jsonQuote(all[i]);
  out += '],"has":' + (query.has(name) ? "true" : "false");
  return out + ',"path":' + jsonQuote(query.path) + ',"hadQuery":' + (query.hadQuery ? "true" : "false") + "}";
}

/** The results (true/false) of the conditional ops, joined by ",". */
export function queryResults(path: string, ops: string): string {
  const query = QueryString.parse(path);
  const results = new Array<string>();
  const error = applyCollecting(query, ops, results);
  return error.length > 0 ? "error:" + error : results.join(",");
}

function apply(query: QueryString, ops: string): string {
  return applyCollecting(query, ops, new Array<string>());
}

function applyCollecting(query: QueryString, ops: string, results: Array<string>): string {
  if (ops.length == 0) return "";
  const lines = ops.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].split(" ");
    const op = fields[0];
    const name = fields.length > 1 ? percentDecode(fields[1]) : null;
    const value = fields.length > 2 ? percentDecode(fields[2]) : "";
    if (name == null || value == null) return "bad fields in " + lines[i];
    if (op == "set") query.set(name, value);
    else if (op == "add") query.add(name, value);
    else if (op == "addIfAbsent") results.push(query.addIfAbsent(name, value).toString());
    else if (op == "overwriteIfExists") results.push(query.overwriteIfExists(name, value).toString());
    else if (op == "remove") results.push(query.remove(name).toString());
    else if (op == "rename") results.push(query.rename(name, value).toString());
    else return "unknown op " + op;
  }
  return "";
}

/** asciiLowerCase, and whether it returned its argument itself (nothing to lower). */
export function lowerAscii(text: string): string {
  const lowered = asciiLowerCase(text);
  return (changetype<usize>(lowered) == changetype<usize>(text) ? "same " : "new ") + lowered;
}

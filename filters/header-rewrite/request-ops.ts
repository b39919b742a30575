// Rewrites of the request line: query parameter operations (Envoy header_mutation
// parameter_mutations, Kong and Higress query operations), the path (Envoy's prefix_rewrite and
// regex_rewrite, or a template) and the authority (host_rewrite_literal, or a template).

import { JsonReader, QueryString, Regex, Rewrite, StringBuilder } from "../../assembly";
import { isHeaderValue } from "./guard";
import { RewriteMetrics } from "./metrics";
import { RenderContext, render } from "./render";
import { OpScope } from "./scope";
import { Template } from "./template";

/** What a query operation does. */
export enum QueryOpKind {
  Add,
  AddIfAbsent,
  Set,
  OverwriteIfExists,
  Remove,
  Rename,
}

/** One query parameter operation. */
export class QueryOp {
  /** The parameter written or removed; rename's new name. */
  name: string = "";
  /** rename: the parameter renamed. */
  source: string = "";
  /** The value written (decoded; encoded when written). */
  value: Template | null = null;

  constructor(public kind: QueryOpKind) {}
}

/** How the path is rewritten. */
export enum PathRewriteKind {
  Prefix,
  Regex,
  Template,
}

/** A path rewrite; the query is kept unless a template gives one. */
export class PathRewrite {
  /** Prefix: the prefix replaced. */
  prefix: string = "";
  /** Prefix: its replacement. */
  replacement: string = "";
  /** Regex: the pattern, all of whose matches are replaced. */
  regex: Regex | null = null;
  /** Regex: the substitution (`\1` for groups). */
  rewrite: Rewrite | null = null;
  /** Template: the new path. */
  template: Template | null = null;

  constructor(public kind: PathRewriteKind) {}
}

const QUERY_VERBS = ["add", "add_if_absent", "set", "overwrite_if_exists"];

/** Parses query operations; stops at the first problem. */
export function parseQueryOps(items: Array<JsonReader>, scope: OpScope): Array<QueryOp> {
  const ops = new Array<QueryOp>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item.value.isObject() || item.value.keys.length != 1) {
      item.fail("must be an object with one of add, add_if_absent, set, overwrite_if_exists, remove, rename");
      break;
    }
    const verb = item.value.keys[0];
    const body = item.field(verb);
    const valueVerb = QUERY_VERBS.indexOf(verb);
    let op: QueryOp | null = null;
    if (valueVerb >= 0) {
      op = new QueryOp(<QueryOpKind>valueVerb);
      if (body.expectObject() && body.allowOnly(["name", "value"])) {
        op.name = parameterName(body.require("name"));
        op.value = scope.template(body.require("value"));
      }
    } else if (verb == "remove") {
      op = new QueryOp(QueryOpKind.Remove);
      op.name = parameterName(body);
    } else if (verb == "rename") {
      op = new QueryOp(QueryOpKind.Rename);
      if (body.expectObject() && body.allowOnly(["from", "to"])) {
        op.source = parameterName(body.require("from"));
        op.name = parameterName(body.require("to"));
      }
    } else {
      body.fail("unknown operation; use add, add_if_absent, set, overwrite_if_exists, remove or rename");
      break;
    }
    if (!item.ok) break;
    ops.push(op!);
  }
  return ops;
}

/** Parses `path`: {prefix: {match, replacement}} | {regex: {pattern, substitution}} | {set: template}. */
export function parsePathRewrite(reader: JsonReader, scope: OpScope): PathRewrite | null {
  if (!reader.value.isObject() || reader.value.keys.length != 1) {
    reader.fail("must be an object with one of prefix, regex or set");
    return null;
  }
  const kind = reader.value.keys[0];
  const body = reader.field(kind);
  if (kind == "prefix") {
    const rewrite = new PathRewrite(PathRewriteKind.Prefix);
    if (!body.expectObject() || !body.allowOnly(["match", "replacement"])) return null;
    rewrite.prefix = body.requireString("match");
    rewrite.replacement = body.requireString("replacement");
    if (body.ok && !rewrite.prefix.startsWith("/")) body.field("match").fail('must start with "/"');
    return rewrite;
  }
  if (kind == "regex") {
    const rewrite = new PathRewrite(PathRewriteKind.Regex);
    if (!body.expectObject() || !body.allowOnly(["pattern", "substitution"])) return null;
    const pattern = body.require("pattern");
    const compiled = Regex.compile(pattern.string());
    if (pattern.ok && compiled.regex == null) pattern.fail("invalid regex: " + compiled.error);
    const substitution = body.require("substitution");
    const text = substitution.string();
    if (!body.ok) return null;
    const made = compiled.regex!.compileRewrite(text);
    if (made.rewrite == null) substitution.fail(made.error);
    rewrite.regex = compiled.regex;
    rewrite.rewrite = made.rewrite;
    return rewrite;
  }
  if (kind == "set") {
    const rewrite = new PathRewrite(PathRewriteKind.Template);
    rewrite.template = scope.template(body);
    return rewrite;
  }
  body.fail("unknown path rewrite; use prefix, regex or set");
  return null;
}

// A regex rewrite builds the new path here, so only the new path (and the part before its `?`, if any) is allocated.
@lazy const pathBuilder = new StringBuilder(64);

// The query of each path whose parameters are edited, parsed into the same object every time.
@lazy const pathQuery = QueryString.parse("");

/** Applies the path rewrite and the query operations to `:path`, writing it once if it changed. */
export function rewritePath(
  rewrite: PathRewrite | null,
  ops: Array<QueryOp>,
  context: RenderContext,
  metrics: RewriteMetrics,
): void {
  const original = context.header(":path");
  if (original == null) return;
  let path = original;
  if (rewrite != null) path = rewritten(rewrite, path, context);
  if (ops.length > 0) {
    const query = pathQuery;
    query.reparse(path);
    for (let i = 0; i < ops.length; i++) applyQueryOp(ops[i], query, context);
    path = query.toPath();
    query.reparse("");
  }
  if (path == original) return;
  if (!isHeaderValue(path) || !path.startsWith("/")) {
    metrics.invalidValue.increment();
    return;
  }
  context.replace(":path", path);
}

/** Sets `:authority` to the rendered template unless it renders empty or invalid. */
export function rewriteHost(template: Template, context: RenderContext, metrics: RewriteMetrics): void {
  const host = render(template, context);
  if (host.length == 0) return;
  if (!isHeaderValue(host)) {
    metrics.invalidValue.increment();
    return;
  }
  context.replace(":authority", host);
}

function rewritten(rewrite: PathRewrite, path: string, context: RenderContext): string {
  const queryAt = path.indexOf("?");
  const bareLength = queryAt < 0 ? path.length : queryAt;
  if (rewrite.kind == PathRewriteKind.Prefix) {
    const prefix = rewrite.prefix;
    if (prefix.length > bareLength || !path.startsWith(prefix)) return path;
    return rewrite.replacement + path.substring(prefix.length);
  }
  if (rewrite.kind == PathRewriteKind.Regex) {
    const bare = queryAt < 0 ? path : path.substring(0, queryAt);
    pathBuilder.clear();
    if (rewrite.regex!.appendReplacedAll(pathBuilder, bare, rewrite.rewrite!) == 0) return path;
    pathBuilder.slice(path, bareLength, path.length);
    return pathBuilder.toString();
  }
  const value = render(rewrite.template!, context);
  if (value.length == 0) return path;
  return value.indexOf("?") >= 0 || queryAt < 0 ? value : value + path.substring(queryAt);
}

function applyQueryOp(op: QueryOp, query: QueryString, context: RenderContext): void {
  if (op.kind == QueryOpKind.Remove) {
    query.remove(op.name);
    return;
  }
  if (op.kind == QueryOpKind.Rename) {
    query.rename(op.source, op.name);
    return;
  }
  const value = render(op.value!, context);
  if (op.kind == QueryOpKind.Add) query.add(op.name, value);
  else if (op.kind == QueryOpKind.AddIfAbsent) query.addIfAbsent(op.name, value);
  else if (op.kind == QueryOpKind.Set) query.set(op.name, value);
  else query.overwriteIfExists(op.name, value);
}

function parameterName(reader: JsonReader): string {
  const name = reader.string();
  if (reader.ok && name.length == 0) reader.fail("must not be empty");
  return name;
}

// Glue between the host and the rules: match each rule once on the request headers, apply its
// request operations in rule order, and remember which rules matched for the response. For JSON
// body operations the headers go on without content-length (Envoy does not fix it up, and a
// header callback that stops holds the body callbacks back too, abi.md 4.3 and 6.2) while the
// body is buffered whole, edited, and sent on.

import {
  asciiLowerCase,
  BodyOverflow,
  FilterDataStatus,
  FilterHeadersStatus,
  HttpContext,
  RootContext,
  WholeBody,
  logError,
  pluginConfigurationJson,
  request,
  response,
} from "../../assembly";
import { BodyEdit, BodyOp, editBody } from "./body-ops";
import { Phase } from "./commands";
import { RewriteConfig, Rule, parseConfig } from "./config";
import { applyHeaderOps } from "./header-ops";
import { RewriteMetrics } from "./metrics";
import { MatchedPool, MatchedRule, NONE_MATCHED } from "./matched";
import { RenderContext } from "./render";
import { rewriteHost, rewritePath } from "./request-ops";

/** The plugin: holds the configuration shared by every stream. */
export class HeaderRewriteRoot extends RootContext {
  config: RewriteConfig = new RewriteConfig();
  metrics: RewriteMetrics | null = null;
  /** Whether the last request needed every header, not only its path: the next one reads them at once (one host call, not two). */
  readHeadersFirst: bool = false;
  /** Matched-rule lists of deleted streams. */
  matchedPool: MatchedPool = new MatchedPool();
  // A render context no stream holds: callbacks of one VM never overlap, so one is enough.
  private spareContext: RenderContext | null = null;

  onConfigure(size: u32): bool {
    const json = pluginConfigurationJson();
    if (!json.ok) {
      logError("header-rewrite: invalid configuration: not JSON at byte " + json.offset.toString() + ": " + json.error);
      return false;
    }
    const parsed = parseConfig(json.value!);
    if (parsed.config == null) {
      logError("header-rewrite: invalid configuration: " + parsed.error);
      return false;
    }
    const config = parsed.config!;
    const names = new Array<string | null>();
    for (let i = 0; i < config.rules.length; i++) names.push(config.rules[i].counted ? config.rules[i].name : null);
    this.config = config;
    this.metrics = new RewriteMetrics(names);
    return true;
  }

  newHttpContext(contextId: u32): HttpContext | null {
    return new HeaderRewriteStream(contextId, this.id, this);
  }

  /** A render context for `phase`: the spare one, reset, or a new one. */
  takeContext(phase: Phase): RenderContext {
    const spare = this.spareContext;
    if (spare == null) return new RenderContext(phase);
    this.spareContext = null;
    spare.reset(phase);
    return spare;
  }

  /** Keeps `context`, which no stream holds any more, for the next callback. */
  giveBack(context: RenderContext): void {
    this.spareContext = context;
  }
}

// A stream allocates its lists only once a rule matches: most requests match none.
class HeaderRewriteStream extends HttpContext {
  /** The rules that matched the request, in order; empty until one does. */
  private matched: Array<MatchedRule> = NONE_MATCHED;
  /** The `%REQ(...)%` values response templates read, copied during the request. */
  private requestValues: Map<string, string> | null = null;
  private requestBody: WholeBody | null = null;
  private responseBody: WholeBody | null = null;
  private requestContext: RenderContext | null = null;
  private responseContext: RenderContext | null = null;

  constructor(
    id: u32,
    rootId: u32,
    private root: HeaderRewriteRoot,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const rules = this.root.config.rules;
    if (rules.length == 0) return FilterHeadersStatus.Continue;
    const metrics = this.root.metrics!;
    const context = this.root.takeContext(Phase.Request);
    if (this.root.readHeadersFirst) context.preload();
    const paths = this.root.config.paths;
    let pathScanned = false;
    let bodyOps = false;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (paths.covers(i)) {
        if (!pathScanned) paths.scan(context.pathWithoutQuery());
        pathScanned = true;
        if (!paths.matched(i)) continue;
      }
      context.match = null;
      if (!rule.match.matches(context)) continue;
      // The rule's operations may rewrite the path the next rules see.
      pathScanned = false;
      metrics.matched(i);
      if (this.matched.length == 0) this.matched = this.root.matchedPool.list();
      this.matched.push(this.root.matchedPool.entry(rule, context.match));
      const ops = rule.request;
      applyHeaderOps(ops.headers, context, ops.scope, metrics);
      if (ops.path != null || ops.query.length > 0) rewritePath(ops.path, ops.query, context, metrics);
      if (ops.host != null) rewriteHost(ops.host!, context, metrics);
      bodyOps = bodyOps || ops.body.length > 0;
    }
    for (let i = 0; i < this.matched.length; i++) this.copyRequestValues(this.matched[i].rule, context);
    const holdBody = bodyOps && !endOfStream && isJson(context.header("content-type"));
    this.root.readHeadersFirst = context.headersWanted;
    if (!holdBody) {
      this.root.giveBack(context);
      return FilterHeadersStatus.Continue;
    }
    context.remove("content-length");
    this.requestContext = context;
    this.requestBody = new WholeBody(request.body, <u32>this.root.config.maxBodyBytes, BodyOverflow.Pass);
    return FilterHeadersStatus.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): FilterDataStatus {
    const whole = this.requestBody;
    if (whole == null) return FilterDataStatus.Continue;
    const status = whole.collect(bodySize, endOfStream);
    if (whole.overflowed) this.tooLarge(whole);
    if (!whole.complete) return status;
    this.requestBody = null;
    const context = this.requestContext!;
    for (let i = 0; i < this.matched.length; i++) {
      const matched = this.matched[i];
      context.match = matched.match;
      if (!this.rewriteBody(matched.rule.request.body, whole, context)) break;
    }
    return FilterDataStatus.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    if (this.matched.length == 0) return FilterHeadersStatus.Continue;
    const metrics = this.root.metrics!;
    const context = this.root.takeContext(Phase.Response);
    context.requestValues = this.requestValues;
    let bodyOps = false;
    for (let i = 0; i < this.matched.length; i++) {
      const matched = this.matched[i];
      const ops = matched.rule.response;
      const condition = ops.condition;
      matched.responseApplies = condition == null || condition.test(context.attributes());
      if (!matched.responseApplies) continue;
      context.match = matched.match;
      applyHeaderOps(ops.headers, context, ops.scope, metrics);
      bodyOps = bodyOps || ops.body.length > 0;
    }
    if (!bodyOps || endOfStream || !isJson(context.header("content-type"))) {
      this.root.giveBack(context);
      return FilterHeadersStatus.Continue;
    }
    context.remove("content-length");
    this.responseContext = context;
    this.responseBody = new WholeBody(response.body, <u32>this.root.config.maxBodyBytes, BodyOverflow.Pass);
    return FilterHeadersStatus.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): FilterDataStatus {
    const whole = this.responseBody;
    if (whole == null) return FilterDataStatus.Continue;
    const status = whole.collect(bodySize, endOfStream);
    if (whole.overflowed) this.tooLarge(whole);
    if (!whole.complete) return status;
    this.responseBody = null;
    const context = this.responseContext!;
    for (let i = 0; i < this.matched.length; i++) {
      const matched = this.matched[i];
      if (!matched.responseApplies) continue;
      context.match = matched.match;
      if (!this.rewriteBody(matched.rule.response.body, whole, context)) break;
    }
    return FilterDataStatus.Continue;
  }

  onDelete(): void {
    if (this.matched.length == 0) return;
    this.root.matchedPool.giveBack(this.matched);
    this.matched = NONE_MATCHED;
  }

  // Response templates read request headers, which Envoy only exposes during the request.
  private copyRequestValues(rule: Rule, context: RenderContext): void {
    const names = rule.response.scope.requestHeaders;
    for (let i = 0; i < names.length; i++) {
      const value = context.header(names[i]);
      if (value == null) continue;
      let values = this.requestValues;
      if (values == null) {
        values = new Map<string, string>();
        this.requestValues = values;
      }
      values.set(names[i], value);
    }
  }

  // Edits the complete body; false when it is not JSON (later rules are skipped too).
  private rewriteBody(ops: Array<BodyOp>, whole: WholeBody, context: RenderContext): bool {
    if (ops.length == 0) return true;
    const body = whole.body;
    const bytes = body.read();
    const text = String.UTF8.decode(bytes);
    const edit = isUtf8(bytes, text) ? editBody(ops, text, context) : new BodyEdit(null, true);
    if (edit.notJson) {
      this.root.metrics!.bodyNotJson.increment();
      return false;
    }
    const edited = edit.text;
    if (edited == null) return true;
    body.replace(String.UTF8.encode(edited));
    return true;
  }

  private tooLarge(whole: WholeBody): void {
    if (whole == this.requestBody) this.requestBody = null;
    else this.responseBody = null;
    this.root.metrics!.bodyTooLarge.increment();
  }
}

// application/json and any +json type, parameters ignored.
function isJson(contentType: string | null): bool {
  if (contentType == null) return false;
  const semicolon = contentType.indexOf(";");
  const type = asciiLowerCase((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim());
  return type == "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

// Decoding replaced any invalid UTF-8 with U+FFFD; only a faithful decoding may be edited.
function isUtf8(bytes: ArrayBuffer, text: string): bool {
  const again = String.UTF8.encode(text);
  if (again.byteLength != bytes.byteLength) return false;
  return memory.compare(changetype<usize>(again), changetype<usize>(bytes), <usize>bytes.byteLength) == 0;
}

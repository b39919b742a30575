// Glue between the host and the verifier: the plugin parses its configuration once, and each
// request is checked in onRequestHeaders, where Envoy's jwt_authn checks it too.

import {
  FilterDataStatus,
  FilterHeadersStatus,
  FilterTrailersStatus,
  Header,
  HttpContext,
  RootContext,
  continueRequest,
  logError,
  pluginConfigurationJson,
  request,
  sendLocalResponse,
  setEffectiveContext,
  setTickPeriod,
  Status as AbiStatus,
} from "../../assembly";
import { Authenticator, Engine } from "./authenticator";
import { JwtAuthnConfig, parseConfig } from "./config";
import { RequestView } from "./extract";
import { JwtMetrics } from "./metrics";
import { applyOutputs, removeProtectedHeaders } from "./outputs";
import { InstanceIdentity, RemoteJwks, SettleListener, nowMillis } from "./remote-jwks";
import { Rule } from "./rules";
import { Status, detailsOf, httpStatusOf, statusMessage, statusReason } from "./status";
import { Resumable, WaitingRequests } from "./waiting";

// Envoy's jwt_authn truncates the path in the realm to this many bytes (filter.cc kMaxPathLength).
const MAX_REALM_PATH = 256;
// How often every instance reads the shared JWKS records (new keys, due refreshes and retries).
const TICK_MS: u32 = 1000;

/** The plugin: holds the configuration, caches, remote keys and counters every stream shares. */
export class JwtAuthnRoot extends RootContext {
  engine: Engine | null = null;
  /** Requests paused for remote keys. */
  waiting: WaitingRequests = new WaitingRequests();
  /** Whether the last request needed a token, so the next reads every header at once. */
  readHeadersFirst: bool = false;

  onConfigure(size: u32): bool {
    const json = pluginConfigurationJson();
    if (!json.ok) {
      logError("jwt-authn: invalid configuration: not JSON at byte " + json.offset.toString() + ": " + json.error);
      return false;
    }
    const parsed = parseConfig(json.value!);
    if (parsed.config == null) {
      logError("jwt-authn: invalid configuration: " + parsed.error);
      return false;
    }
    const engine = new Engine(parsed.config!, new JwtMetrics());
    const providers = engine.config.providers;
    const identity = new InstanceIdentity();
    const listener = new ResumeOnSettle(this);
    let remote = false;
    for (let i = 0; i < providers.length; i++) {
      const source = providers[i].remote;
      if (source == null) continue;
      engine.remotes[i] = new RemoteJwks(providers[i], source, identity, engine.metrics, listener);
      remote = true;
    }
    // No fetch starts here: the canary instance configures too and is discarded right after.
    // Every later instance ticks, and the first tick or request that finds a fetch due starts it.
    if (remote) setTickPeriod(TICK_MS);
    this.engine = engine;
    return true;
  }

  onTick(): void {
    const engine = this.engine;
    if (engine == null) return;
    syncRemotes(engine, nowMillis(), this.id, false);
    this.waiting.resumeSettled();
  }

  newHttpContext(contextId: u32): HttpContext | null {
    return new JwtAuthnStream(contextId, this.id, this.engine!, this);
  }
}

class ResumeOnSettle extends SettleListener {
  constructor(private root: JwtAuthnRoot) {
    super();
  }

  settled(): void {
    this.root.waiting.resumeSettled();
  }
}

function syncRemotes(engine: Engine, nowMs: i64, rootId: u32, forRequest: bool): void {
  for (let i = 0; i < engine.remotes.length; i++) {
    const remote = engine.remotes[i];
    if (remote == null) continue;
    if (forRequest) remote.syncForRequest(nowMs, rootId);
    else remote.sync(nowMs, rootId);
  }
}

class JwtAuthnStream extends HttpContext {
  private view: RequestView | null = null;
  private rule: Rule | null = null;

  constructor(
    id: u32,
    rootId: u32,
    private engine: Engine,
    private root: JwtAuthnRoot,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const config = this.engine.config;
    const metrics = this.engine.metrics;
    // When the path alone decides whether a token is needed, it is read by itself, unless the
    // request before needed every header: then one read of them all costs less than two reads.
    // Protected headers go before anything else, so no route (even one without a requirement)
    // sees a client's copy; once every header is read, only those the request has.
    const root = this.root;
    let view: RequestView | null = null;
    let method: string | null = null;
    let path: string | null = null;
    if (config.needsMethod || root.readHeadersFirst) {
      const headers = request.headers.getAll();
      removeProtectedHeaders(request.headers, config.protectedHeaders, headers);
      view = new RequestView(headers);
      method = view.header(":method");
      path = view.header(":path");
    } else {
      removeProtectedHeaders(request.headers, config.protectedHeaders, null);
      path = request.headers.get(":path");
    }
    // needsMethod covers the CORS bypass, so the view is there.
    if (config.bypassCorsPreflight && isCorsPreflight(view!, method)) {
      metrics.corsPreflightBypassed.increment();
      return FilterHeadersStatus.Continue;
    }
    const rule = matchRule(config, path != null ? path! : "", method != null ? method! : "");
    const required = rule != null && rule.requirement != null;
    root.readHeadersFirst = required;
    if (!required) {
      metrics.notRequired.increment();
      return FilterHeadersStatus.Continue;
    }
    this.view = view != null ? view : new RequestView(request.headers.getAll());
    this.rule = rule;
    const nowMs = nowMillis();
    syncRemotes(this.engine, nowMs, this.rootId, true);
    return this.verify(nowMs, true);
  }

  // Envoy's filter holds the body while the request waits for keys (decodeData returns
  // StopIterationAndWatermark), so nothing reaches the upstream before the token is verified.
  onRequestBody(bodySize: u32, endOfStream: bool): FilterDataStatus {
    return this.root.waiting.has(this.id) ? FilterDataStatus.StopIterationAndWatermark : FilterDataStatus.Continue;
  }

  onRequestTrailers(trailerCount: u32): FilterTrailersStatus {
    return this.root.waiting.has(this.id) ? FilterTrailersStatus.StopIteration : FilterTrailersStatus.Continue;
  }

  onDelete(): void {
    this.root.waiting.forget(this.id);
  }

  // Verifies the request; a failure that remote keys may still cure pauses it when `mayWait`.
  private verify(nowMs: i64, mayWait: bool): FilterHeadersStatus {
    const config = this.engine.config;
    const metrics = this.engine.metrics;
    const authenticator = new Authenticator(this.engine, this.view!, <f64>(nowMs / 1000));
    const status = authenticator.evaluate(this.rule!.requirement!);
    if (status == Status.Ok) {
      authenticator.countFailures();
      applyOutputs(request.headers, authenticator, config.principalHeader);
      metrics.allowed.increment();
      return FilterHeadersStatus.Continue;
    }
    const waiting = this.root.waiting;
    if (mayWait && waiting.pause(this.id, new Resume(this), authenticator, this.engine, nowMs, this.rootId))
      return FilterHeadersStatus.StopIteration;
    authenticator.countFailures();
    metrics.denied.withValues([statusReason(status)]).increment();
    deny(config, status, this.view!);
    return FilterHeadersStatus.StopIteration;
  }

  /** Verifies the paused request again once its keys settled, then continues or denies it. */
  resume(): void {
    if (setEffectiveContext(this.id) != AbiStatus.Ok) return;
    if (this.verify(nowMillis(), false) == FilterHeadersStatus.Continue) continueRequest();
  }
}

class Resume extends Resumable {
  constructor(private stream: JwtAuthnStream) {
    super();
  }

  resume(): void {
    this.stream.resume();
  }
}

// Envoy's bypass: an OPTIONS request with Origin and Access-Control-Request-Method (filter.cc).
function isCorsPreflight(view: RequestView, method: string | null): bool {
  return (
    method != null &&
    method! == "OPTIONS" &&
    view.header("origin") != null &&
    view.header("access-control-request-method") != null
  );
}

function matchRule(config: JwtAuthnConfig, path: string, method: string): Rule | null {
  const query = path.indexOf("?");
  const bare = query < 0 ? path : path.substring(0, query);
  for (let i = 0; i < config.rules.length; i++) {
    if (config.rules[i].matches(bare, method)) return config.rules[i];
  }
  return null;
}

// Envoy's failure reply: 401 (403 for audiences) with the status string as body and
// `WWW-Authenticate: Bearer realm="<original URI>"`, plus `error="invalid_token"` unless the token
// was missing (RFC 6750 section 3); strip_failure_response sends neither body nor header.
function deny(config: JwtAuthnConfig, status: Status, view: RequestView): void {
  const headers = new Array<Header>();
  let body = "";
  if (!config.stripFailureResponse) {
    body = statusMessage(status);
    let value = 'Bearer realm="' + quoted(originalUri(view)) + '"';
    if (status != Status.JwtMissed) value += ', error="invalid_token"';
    headers.push(new Header("www-authenticate", value));
  }
  sendLocalResponse(httpStatusOf(status), detailsOf(status), body, headers);
}

// Http::Utility::buildOriginalUri: forwarded proto, host, and the original path cut to 256 bytes.
function originalUri(view: RequestView): string {
  const forwarded = view.header("x-forwarded-proto");
  const scheme = forwarded != null ? forwarded! : view.header(":scheme");
  const host = view.header(":authority");
  const original = view.header("x-envoy-original-path");
  const path = original != null ? original! : view.header(":path");
  let text = path != null ? path! : "";
  if (text.length > MAX_REALM_PATH) text = text.substring(0, MAX_REALM_PATH);
  return (scheme != null ? scheme! : "http") + "://" + (host != null ? host! : "") + text;
}

// RFC 9110 quoted-string: a quote or backslash in the URI must not end the realm early.
function quoted(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

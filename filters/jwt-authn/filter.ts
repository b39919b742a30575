// Glue between the host and the verifier: the plugin parses its configuration once, and each
// request is checked in onRequestHeaders, where Envoy's jwt_authn checks it too.

import {
  FilterHeadersStatus,
  Header,
  HttpContext,
  RootContext,
  currentTimeMilliseconds,
  logError,
  pluginConfigurationJson,
  request,
  sendLocalResponse,
} from "../../assembly";
import { Authenticator, Engine } from "./authenticator";
import { JwtAuthnConfig, parseConfig } from "./config";
import { RequestView } from "./extract";
import { JwtMetrics } from "./metrics";
import { applyOutputs, removeProtectedHeaders } from "./outputs";
import { Rule } from "./rules";
import { Status, detailsOf, httpStatusOf, statusMessage, statusReason } from "./status";

// Envoy's jwt_authn truncates the path in the realm to this many bytes (filter.cc kMaxPathLength).
const MAX_REALM_PATH = 256;

/** The plugin: holds the configuration, caches and counters every stream shares. */
export class JwtAuthnRoot extends RootContext {
  engine: Engine | null = null;

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
    this.engine = new Engine(parsed.config!, new JwtMetrics());
    return true;
  }

  newHttpContext(contextId: u32): HttpContext | null {
    return new JwtAuthnStream(contextId, this.id, this.engine!);
  }
}

class JwtAuthnStream extends HttpContext {
  constructor(
    id: u32,
    rootId: u32,
    private engine: Engine,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const config = this.engine.config;
    const metrics = this.engine.metrics;
    // Before anything else, so no route (even one without a requirement) sees a client's copy.
    removeProtectedHeaders(request.headers, config.protectedHeaders);
    const view = new RequestView(request.headers.getAll());
    const method = view.header(":method");
    const path = view.header(":path");
    if (config.bypassCorsPreflight && isCorsPreflight(view, method)) {
      metrics.corsPreflightBypassed.increment();
      return FilterHeadersStatus.Continue;
    }
    const rule = matchRule(config, path != null ? path! : "", method != null ? method! : "");
    if (rule == null || rule.requirement == null) {
      metrics.notRequired.increment();
      return FilterHeadersStatus.Continue;
    }
    const now = Math.floor(<f64>currentTimeMilliseconds() / 1000);
    const authenticator = new Authenticator(this.engine, view, now);
    const status = authenticator.evaluate(rule.requirement!);
    if (status == Status.Ok) {
      applyOutputs(request.headers, authenticator.verified, config.principalHeader);
      metrics.allowed.increment();
      return FilterHeadersStatus.Continue;
    }
    metrics.denied.withValues([statusReason(status)]).increment();
    deny(config, status, view);
    return FilterHeadersStatus.StopIteration;
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

// HTTP callouts with handler objects (reference abi.md 3.5, 6.4). The answer reaches the root
// context; the SDK remembers which context issued each call, switches back to it
// (proxy_set_effective_context) before the handler runs, and drops answers for streams that are
// gone. In the handler, continueRequest(), sendLocalResponse() and request.headers act on that
// stream.

import * as host from "./abi/hostcalls";
import * as callout from "./abi/callout-hostcalls";
import { TokenResult } from "./abi/callout-hostcalls";
import { currentContextId, setEffectiveContext } from "./context-state";
import { contextExists, routeHttpCalls } from "./dispatcher";
import { Header } from "./header";
import { BufferType, MapType, Status } from "./types";

/** An HTTP request to send to a cluster; `:method`, `:path` and `:authority` are required by Envoy. */
export class HttpCallRequest {
  /** Request headers, pseudo-headers first. */
  headers: Array<Header> = [];
  /** Request body; Envoy sets content-length for a non-empty one. */
  body: ArrayBuffer = new ArrayBuffer(0);
  /** Request trailers (sent only when non-empty). */
  trailers: Array<Header> = [];

  /** Starts a request with the three pseudo-headers Envoy requires. */
  constructor(method: string, authority: string, path: string) {
    this.headers.push(new Header(":method", method));
    this.headers.push(new Header(":path", path));
    this.headers.push(new Header(":authority", authority));
  }

  /** Adds a header and returns the request, for chaining. */
  header(name: string, value: string): HttpCallRequest {
    this.headers.push(new Header(name, value));
    return this;
  }

  /** Sets the body to the UTF-8 bytes of `text` and returns the request. */
  bodyText(text: string): HttpCallRequest {
    this.body = String.UTF8.encode(text);
    return this;
  }

  /** Adds a trailer and returns the request. */
  trailer(name: string, value: string): HttpCallRequest {
    this.trailers.push(new Header(name, value));
    return this;
  }
}

/** The answer to an HTTP callout: a response (any status, including Envoy's own 5xx) or a failure. */
export class HttpCallResponse {
  constructor(
    /** True when the call failed (stream reset, response too large): no headers, body or trailers. */
    public readonly failed: bool,
    /** The `:status` of the response, or 0 for a failure. */
    public readonly statusCode: u32,
    /** Response headers (empty for a failure). */
    public readonly headers: Array<Header>,
    /** Response body (empty for a failure). */
    public readonly body: ArrayBuffer,
    /** Response trailers. */
    public readonly trailers: Array<Header>,
    /** Why the call failed, as proxy_get_status reports it ("reset"); "" for a response. */
    public readonly failureMessage: string,
  ) {}

  /** Returns the first value of header `name` (lowercase), or null when absent. */
  header(name: string): string | null {
    for (let i = 0; i < this.headers.length; i++) {
      if (this.headers[i].name == name) return this.headers[i].value;
    }
    return null;
  }

  /** Returns the body decoded as UTF-8. */
  bodyText(): string {
    return String.UTF8.decode(this.body);
  }

  /** True for the 504 "upstream request timeout" reply Envoy's router gives when the call's timeout expires. */
  get timedOut(): bool {
    return this.statusCode == 504 && this.bodyText() == "upstream request timeout";
  }
}

/** Receives the answer to one HTTP callout; extend it, keep what it needs as fields, and pass it to httpCall. */
export class HttpCallHandler {
  /** Called once with the response or the failure; host calls act on the context that issued the call. */
  onResponse(response: HttpCallResponse): void {}
}

/** The outcome of issuing a callout: Ok with its token, or the host's refusal. */
export class CalloutResult {
  constructor(
    /** Ok; BadArgument for an unknown cluster, a missing pseudo-header or a timeout >= 2^31 ms. */
    public readonly status: Status,
    /** The token the answer will carry (0 when refused). */
    public readonly token: u32,
  ) {}

  /** True when the call was issued. */
  get ok(): bool {
    return this.status == Status.Ok;
  }
}

class PendingHttpCall {
  constructor(
    public contextId: u32,
    public handler: HttpCallHandler,
  ) {}
}

const pending = new Map<u32, PendingHttpCall>();

/**
 * Sends `request` to Envoy cluster `cluster` (timeout 0 = none); `handler.onResponse` runs later
 * on the context calling now. Call it from any callback after onVmStart.
 */
export function httpCall(
  cluster: string,
  request: HttpCallRequest,
  timeoutMs: u32,
  handler: HttpCallHandler,
): CalloutResult {
  routeHttpCalls(deliverHttpCallResponse);
  const issued: TokenResult = callout.httpCall(cluster, request.headers, request.body, request.trailers, timeoutMs);
  if (issued.status == Status.Ok) pending.set(issued.token, new PendingHttpCall(currentContextId(), handler));
  return new CalloutResult(issued.status, issued.token);
}

/** Returns the number of HTTP callouts issued through httpCall that have not been answered yet. */
export function pendingHttpCalls(): i32 {
  return pending.size;
}

// Routes proxy_on_http_call_response for a call made with httpCall; false when the token is not
// one of them (the root's onHttpCallResponse then gets it).
function deliverHttpCallResponse(rootId: u32, token: u32, headerCount: u32, bodySize: u32): bool {
  if (!pending.has(token)) return false;
  const call = pending.get(token);
  pending.delete(token);
  if (call.contextId != rootId) {
    if (!contextExists(call.contextId) || setEffectiveContext(call.contextId) != Status.Ok) return true;
  }
  call.handler.onResponse(readResponse(headerCount, bodySize));
  return true;
}

function readResponse(headerCount: u32, bodySize: u32): HttpCallResponse {
  if (headerCount == 0) {
    const status = callout.getStatus();
    return new HttpCallResponse(true, 0, [], new ArrayBuffer(0), [], status.message);
  }
  const headers = host.getHeaderMapPairs(MapType.HttpCallResponseHeaders);
  const trailers = host.getHeaderMapPairs(MapType.HttpCallResponseTrailers);
  const bytes = host.getBufferBytes(BufferType.HttpCallResponseBody, 0, bodySize);
  const body = bytes == null ? new ArrayBuffer(0) : bytes;
  let statusCode: u32 = 0;
  for (let i = 0; i < headers.length; i++) {
    if (headers[i].name == ":status") statusCode = <u32>I32.parseInt(headers[i].value);
  }
  return new HttpCallResponse(false, statusCode, headers, body, trailers, "");
}

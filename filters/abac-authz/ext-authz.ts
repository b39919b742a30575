// Envoy's HTTP ext_authz protocol (envoyproxy/envoy source/extensions/filters/common/ext_authz/
// ext_authz_http_impl.cc) over proxy_http_call: the check is the client's request without a body
// (its method, the provider's path prefix before its path, its authority, `authorization` and the
// allowed headers); 200 allows, 5xx or no answer is an error, any other status denies.

import { asciiLowerCase, Header, HttpCallRequest, HttpCallResponse, joinedHeaderValue, request } from "../../assembly";
import { ExtAuthzProvider, HeaderNames } from "./ext-authz-provider";

/** Envoy's header naming the request headers an OK answer removes. */
const HEADERS_TO_REMOVE = "x-envoy-auth-headers-to-remove";

/** How the authorization service answered. */
export enum CheckOutcome {
  Allowed,
  Denied,
  Error,
}

/** A check's outcome with what it changes. */
export class CheckResult {
  /** Headers to set on the request (Allowed). */
  upstreamSet: Array<Header> = [];
  /** Request headers to remove (Allowed). */
  upstreamRemove: Array<string> = [];
  /** Headers to add to the response (Allowed). */
  downstreamAdd: Array<Header> = [];
  /** Headers of the local reply (Denied). */
  replyHeaders: Array<Header> = [];
  /** The local reply's body (Denied). */
  replyBody: ArrayBuffer = new ArrayBuffer(0);

  constructor(
    public outcome: CheckOutcome,
    /** The service's status (Denied), or 0. */
    public status: u32,
  ) {}
}

/** Builds the check for the current request, as Envoy's HTTP ext_authz client does. */
export function checkRequest(provider: ExtAuthzProvider): HttpCallRequest {
  const headers = request.headers.getAll();
  const method = joinedHeaderValue(headers, ":method");
  const path = joinedHeaderValue(headers, ":path");
  const authority = joinedHeaderValue(headers, ":authority");
  const check = new HttpCallRequest(
    method == null ? "GET" : method,
    authority == null ? provider.cluster : authority,
    provider.pathPrefix + (path == null ? "/" : path),
  );
  check.header("content-length", "0");
  const sent = new Set<string>();
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i].name;
    if (name.startsWith(":") || name == "content-length" || sent.has(name)) continue;
    if (name != "authorization" && !provider.requestHeaders.matches(name)) continue;
    if (isAdditional(provider, name)) continue;
    sent.add(name);
    check.header(name, joinedHeaderValue(headers, name)!);
  }
  for (let i = 0; i < provider.additionalHeaders.length; i++) {
    check.header(provider.additionalHeaders[i].name, provider.additionalHeaders[i].value);
  }
  return check;
}

/** Interprets the service's answer (or the call's failure). */
export function checkResult(provider: ExtAuthzProvider, response: HttpCallResponse): CheckResult {
  const status = response.statusCode;
  if (response.failed || status < 200 || status >= 500) return new CheckResult(CheckOutcome.Error, 0);
  if (status != 200) {
    const denied = new CheckResult(CheckOutcome.Denied, status);
    denied.replyBody = response.body;
    denied.replyHeaders = clientHeaders(provider.toDownstreamOnDeny, response.headers);
    return denied;
  }
  const allowed = new CheckResult(CheckOutcome.Allowed, status);
  for (let i = 0; i < response.headers.length; i++) {
    const header = response.headers[i];
    if (header.name == HEADERS_TO_REMOVE) {
      const names = header.value.split(",");
      for (let j = 0; j < names.length; j++) {
        const name = asciiLowerCase(names[j].trim());
        if (name.length > 0 && mutable(name)) allowed.upstreamRemove.push(name);
      }
      continue;
    }
    if (!mutable(header.name)) continue;
    if (provider.toUpstreamOnAllow.matches(header.name)) allowed.upstreamSet.push(header);
    if (provider.toDownstreamOnAllow.matches(header.name)) allowed.downstreamAdd.push(header);
  }
  return allowed;
}

/** Applies an Allowed result to the current request's headers. */
export function applyToRequest(result: CheckResult): void {
  for (let i = 0; i < result.upstreamSet.length; i++) {
    request.headers.replace(result.upstreamSet[i].name, result.upstreamSet[i].value);
  }
  for (let i = 0; i < result.upstreamRemove.length; i++) request.headers.remove(result.upstreamRemove[i]);
}

// Pseudo-headers, host and the framing header belong to the message that carries them.
function mutable(name: string): bool {
  return !name.startsWith(":") && name != "host" && name != "content-length" && name != "transfer-encoding";
}

// Envoy's allowed_client_headers: unset copies everything but host; a list copies its names plus
// www-authenticate and location. The local reply makes its own status and length.
function clientHeaders(names: HeaderNames | null, headers: Array<Header>): Array<Header> {
  const copied = new Array<Header>();
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i].name;
    if (!mutable(name)) continue;
    const always = name == "www-authenticate" || name == "location";
    if (names == null || always || names.matches(name)) copied.push(headers[i]);
  }
  return copied;
}

function isAdditional(provider: ExtAuthzProvider, name: string): bool {
  for (let i = 0; i < provider.additionalHeaders.length; i++)
    if (provider.additionalHeaders[i].name == name) return true;
  return false;
}

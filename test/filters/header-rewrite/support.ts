// Shared helpers for the header-rewrite tests: load the filter with a configuration, send a request
// (headers, attributes, filter state, body) and read what went upstream and downstream.

import { FilterState, type HttpStream, Plugin, type HostCallTrace } from "../../../harness/index.js";

export const builds = ["build/header-rewrite.wasm", "build/header-rewrite.debug.wasm"];

export type Headers = [string, string][];

/** A request to send. */
export type Req = {
  method?: string;
  path?: string;
  host?: string;
  headers?: Headers;
  /** Attribute overrides by dotted name. */
  attributes?: Record<string, string | number | boolean | bigint | null>;
  /** The claims jwt-authn would publish. */
  claims?: Record<string, unknown>;
  /** A request body (sent after the headers, ending the stream). */
  body?: string;
};

/** Loads the filter; `trace` records host calls. */
export function load(wasm: string, configuration: object | string, trace?: HostCallTrace): Promise<Plugin> {
  return Plugin.load(wasm, { rootId: "header-rewrite", configuration, trace });
}

/** Sends `req` and returns the stream. */
export function send(plugin: Plugin, req: Req = {}): HttpStream {
  const filterState = new FilterState();
  if (req.claims !== undefined) filterState.set("wasm.envoy_as.jwt.claims", JSON.stringify(req.claims));
  const stream = plugin.newHttpStream(0, { attributes: req.attributes ?? {}, filterState });
  const headers: Headers = [
    [":method", req.method ?? "GET"],
    [":path", req.path ?? "/"],
    [":authority", req.host ?? "shop.test"],
    [":scheme", "http"],
    ...(req.headers ?? []),
  ];
  stream.sendRequestHeaders(headers, req.body === undefined);
  if (req.body !== undefined) stream.sendRequestBody(req.body, true);
  return stream;
}

/** Sends GET / with `text` published as jwt-authn's claims, as it is (it need not be JSON). */
export function sendWithClaimsText(plugin: Plugin, text: string): HttpStream {
  const filterState = new FilterState();
  filterState.set("wasm.envoy_as.jwt.claims", text);
  const stream = plugin.newHttpStream(0, { filterState });
  stream.sendRequestHeaders(
    [
      [":method", "GET"],
      [":path", "/"],
      [":authority", "shop.test"],
    ],
    true,
  );
  return stream;
}

/** The request headers as they went upstream. */
export function upstream(stream: HttpStream): Headers {
  return stream.upstreamRequest.headers!.all();
}

/** Every value of `name` in `headers`. */
export function values(headers: Headers, name: string): string[] {
  return headers.filter(([k]) => k === name).map(([, v]) => v);
}

/** One value of request header `name` as it went upstream, or undefined. */
export function sent(stream: HttpStream, name: string): string | undefined {
  return stream.upstreamRequest.headers!.get(name);
}

/** Sends a response with `headers` (and `body`) and returns the response headers as they went downstream. */
export function respond(stream: HttpStream, headers: Headers, body?: string): Headers {
  stream.sendResponseHeaders([[":status", "200"], ...headers], body === undefined);
  if (body !== undefined) stream.sendResponseBody(body, true);
  return stream.downstreamResponse.headers!.all();
}

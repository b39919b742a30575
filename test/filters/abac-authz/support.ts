// Shared helpers for the abac-authz tests: load the filter with a list of policies and send one
// request with chosen attributes, peer certificate and jwt-authn outputs.

import { FilterState, Plugin } from "../../../harness/index.js";

export const builds = ["build/abac-authz.wasm", "build/abac-authz.debug.wasm"];

/** One request: headers plus the attributes and jwt-authn outputs it carries. */
export type Req = {
  method?: string;
  path?: string;
  host?: string;
  headers?: [string, string][];
  /** The peer certificate's URI SAN (mTLS); absent without mTLS. */
  peer?: string;
  /** `<iss>/<sub>` as jwt-authn publishes it. */
  principal?: string;
  /** The verified claims jwt-authn publishes. */
  claims?: Record<string, unknown>;
  /** The claims filter-state entry as raw text, when it must not be JSON. */
  rawClaims?: string;
  source?: string;
  destination?: string;
  port?: number;
  sni?: string;
};

/** An AuthorizationPolicy named `name` with `spec`, for the `policies` list. */
export function policy(name: string, spec: object, extra: Record<string, unknown> = {}): object {
  return { name, spec, ...extra };
}

/** Loads the filter with `configuration` (an object, or a bare list of policies). */
export function load(wasm: string, configuration: object | string): Promise<Plugin> {
  const config = Array.isArray(configuration) ? { policies: configuration } : configuration;
  return Plugin.load(wasm, { rootId: "abac-authz", configuration: config });
}

/** Sends `req`; returns the stream. */
export function send(plugin: Plugin, req: Req = {}) {
  const filterState = new FilterState();
  if (req.principal !== undefined) filterState.set("wasm.envoy_as.jwt.principal", req.principal);
  const claims = req.rawClaims ?? (req.claims === undefined ? undefined : JSON.stringify(req.claims));
  if (claims !== undefined) filterState.set("wasm.envoy_as.jwt.claims", claims);
  const attributes: Record<string, string | number | boolean | null> = {
    "source.address": req.source ?? "10.0.0.1:45678",
    "destination.address": req.destination ?? "10.0.0.2:8080",
    "destination.port": req.port ?? 8080,
    "connection.requested_server_name": req.sni ?? "",
    "connection.uri_san_peer_certificate": req.peer ?? null,
    "connection.mtls": req.peer !== undefined,
  };
  const stream = plugin.newHttpStream(0, { attributes, filterState });
  stream.sendRequestHeaders(
    [
      [":method", req.method ?? "GET"],
      [":path", req.path ?? "/"],
      [":authority", req.host ?? "svc.test"],
      [":scheme", "http"],
      ...(req.headers ?? []),
    ],
    true,
  );
  return stream;
}

/** The response status: the local reply's, or 200 when the request went upstream. */
export function status(plugin: Plugin, req: Req = {}): number {
  const stream = send(plugin, req);
  return stream.localReply ? stream.localReply.status : stream.upstreamRequest.headers ? 200 : 0;
}

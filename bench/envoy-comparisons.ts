// What the Envoy benchmarks run for each shipped filter: its configuration (envoy-configs/*.yaml) with
// the request its case sends, and the same with the calls-only module in the filter's place; and the
// bootstrap edits the other comparisons of bench/groups/envoy.ts share.

import { generateKeyPairSync, sign } from "node:crypto";
import { loadBootstrap } from "../test/e2e/support/config.js";

/** A parsed Envoy bootstrap (or part of one). */
export type Yaml = Record<string, unknown>;

const WASM_TYPE = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";

/** One Envoy run: a bootstrap with a candidate and a baseline listener, and the request sent to both. */
export interface Comparison {
  name: string;
  bootstrap: Yaml;
  /** The listener measured against "baseline" (default: the shipped "ingress"). */
  baselineListener?: string;
  /** Ports of clusters something listens on (the others keep the shipped ports, unused). */
  clusters?: Record<string, number>;
  path: string;
  headers: [string, string][];
  expectHeader?: [string, string];
}

/** The filters with a shipped configuration of their own, each measured in real Envoy. */
export const SHIPPED_FILTERS = ["header-rewrite", "abac-authz", "telemetry", "jwt-authn"] as const;

/** One of {@link SHIPPED_FILTERS}. */
export type ShippedFilter = (typeof SHIPPED_FILTERS)[number];

/** The HTTP connection managers of every listener of `bootstrap`. */
export function connectionManagers(bootstrap: Yaml): Yaml[] {
  const listeners = (bootstrap["static_resources"] as Yaml)["listeners"] as Yaml[];
  return listeners.flatMap((l) => (l["filter_chains"] as Yaml[]).flatMap((c) => c["filters"] as Yaml[]));
}

/** Whether HTTP filter `filter` is a Wasm filter. */
export function isWasmFilter(filter: Yaml): boolean {
  return (filter["typed_config"] as Yaml)["@type"] === WASM_TYPE;
}

function wasmConfig(filter: Yaml): Yaml {
  return (filter["typed_config"] as Yaml)["config"] as Yaml;
}

/** The Wasm HTTP filters of every listener of `bootstrap`. */
export function wasmFilters(bootstrap: Yaml): Yaml[] {
  return connectionManagers(bootstrap)
    .flatMap((manager) => (manager["typed_config"] as Yaml)["http_filters"] as Yaml[])
    .filter(isWasmFilter);
}

/**
 * Makes every Wasm filter of `bootstrap` fail closed: one that failed open (telemetry ships so)
 * would let the requests of a load test pass untouched and be counted as its throughput; closed,
 * they get 503s and the run stops with wrk's non-2xx count.
 */
export function failClosed(bootstrap: Yaml): void {
  for (const filter of wasmFilters(bootstrap)) wasmConfig(filter)["failure_policy"] = "FAIL_CLOSED";
}

/** Rewrites the configuration string of the Wasm filters named `name` with `edit`; returns `bootstrap`. */
export function setConfiguration(bootstrap: Yaml, name: string, edit: (configuration: string) => string): Yaml {
  for (const filter of wasmFilters(bootstrap)) {
    if (filter["name"] !== name) continue;
    const configuration = wasmConfig(filter)["configuration"] as Yaml;
    configuration["value"] = edit(configuration["value"] as string);
  }
  return bootstrap;
}

/** Makes Wasm `filter` run module `wasm` under `name` (filter, root id and VM id) with `configuration`. */
export function runModule(filter: Yaml, name: string, wasm: string, configuration: string): void {
  const config = wasmConfig(filter);
  filter["name"] = config["name"] = config["root_id"] = name;
  config["vm_config"] = { vm_id: name, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: wasm } } };
  config["configuration"] = { "@type": "type.googleapis.com/google.protobuf.StringValue", value: configuration };
}

function b64u(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

// jwt-authn.yaml with its inline JWKS swapped for a fresh P-256 key, and a token that key signed.
async function jwtAuthn(): Promise<Comparison> {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), kid: "demo", alg: "ES256" }] });
  const bootstrap = setConfiguration(await loadBootstrap(process.cwd(), "jwt-authn.yaml"), "jwt-authn", (value) => {
    const configuration = JSON.parse(value) as { providers: Record<string, { local_jwks: { inline_string: string } }> };
    configuration.providers["example"]!.local_jwks.inline_string = jwks;
    return JSON.stringify(configuration);
  });
  const now = Math.floor(Date.now() / 1000);
  const header = b64u(JSON.stringify({ alg: "ES256", kid: "demo", typ: "JWT" }));
  const claims = { iss: "https://issuer.example", aud: "api.example", sub: "alice", iat: now, exp: now + 3600 };
  const input = `${header}.${b64u(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return {
    name: "envoy.jwt-authn",
    bootstrap,
    path: "/api/items",
    headers: [["authorization", `Bearer ${input}.${b64u(signature)}`]],
  };
}

/**
 * `filter`'s shipped configuration and the request its Envoy case sends: header-rewrite's matches
 * its api-v1 rule and carries both debug headers its configuration removes; abac-authz's meets allow-reads (the
 * CUSTOM, ext-authz policy covers only /orders/*, so no callout); telemetry's has the tier its
 * custom metric reads; jwt-authn's carries a token the swapped-in key signed.
 */
export async function shipped(filter: ShippedFilter): Promise<Comparison> {
  if (filter === "jwt-authn") return jwtAuthn();
  const name = `envoy.${filter}`;
  const bootstrap = await loadBootstrap(process.cwd(), `${filter}.yaml`);
  if (filter === "abac-authz") return { name, bootstrap, path: "/items", headers: [] };
  if (filter === "telemetry") return { name, bootstrap, path: "/api/items", headers: [["x-tier", "gold"]] };
  const headers: [string, string][] = [
    ["x-internal-debug", "1"],
    ["x-debug-trace", "1"],
  ];
  return { name, bootstrap, path: "/api/v1/items/7?q=shoes", headers, expectHeader: ["x-served-by", "envoy-as"] };
}

/**
 * `comparison` (filter `filter`'s) with the calls-only module `wasm` in the filter's place, under
 * the filter's root id: the host calls the filter's request makes, with little work of its own.
 */
export function callsOnly(comparison: Comparison, filter: ShippedFilter, wasm: string): Comparison {
  const bootstrap = structuredClone(comparison.bootstrap);
  for (const place of wasmFilters(bootstrap)) runModule(place, filter, wasm, "{}");
  return { ...comparison, name: `envoy.calls-only.${filter}`, bootstrap };
}

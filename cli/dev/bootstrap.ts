// The part of an Envoy v3 static bootstrap the dev proxy serves: listeners with an HTTP connection
// manager (Wasm filters and the router; routes by prefix, path or safe_regex to a cluster), static
// clusters, the admin listener, the node and stats_tags. Every other field the file sets is named
// in `unsupported`, so nothing is silently ignored.

import { readFile } from "node:fs/promises";
import { parse } from "yaml";

/** A route: one match and the cluster it goes to. */
export interface Route {
  prefix?: string;
  path?: string;
  regex?: RegExp;
  cluster: string;
  prefixRewrite?: string;
}

/** A Wasm HTTP filter as the bootstrap configures it. */
export interface WasmFilter {
  name: string;
  rootId: string;
  vmId: string;
  file: string;
  configuration: string;
  failurePolicy: "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";
}

/** A listener with its HTTP connection manager. */
export interface Listener {
  name: string;
  address: string;
  port: number;
  routeName: string;
  routes: Route[];
  filters: WasmFilter[];
}

/** A static cluster's first endpoint. */
export interface Cluster {
  name: string;
  address: string;
  port: number;
  connectTimeoutMs: number;
}

/** What the dev proxy serves. */
export interface DevBootstrap {
  listeners: Listener[];
  clusters: Map<string, Cluster>;
  admin: { address: string; port: number } | null;
  node: { id: string; metadata: NodeMetadata };
  statsTags: { tagName: string; regex: string }[];
  /** Paths of fields the dev proxy does not implement. */
  unsupported: string[];
}

/** Node metadata: strings and nested objects of strings. */
export type NodeMetadata = { [key: string]: string | NodeMetadata };

type Yaml = Record<string, unknown>;

const WASM_TYPE = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
const ROUTER_TYPE = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";
const HCM_TYPE =
  "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

/** Reads and interprets `file`; throws with the path of anything it cannot serve at all. */
export async function loadDevBootstrap(file: string): Promise<DevBootstrap> {
  const root = parse(await readFile(file, "utf8")) as Yaml;
  const unsupported: string[] = [];
  const known = (value: Yaml, path: string, keys: string[]) => {
    for (const key of Object.keys(value))
      if (!keys.includes(key)) unsupported.push(path === "" ? key : `${path}.${key}`);
  };
  known(root, "", ["node", "admin", "static_resources", "stats_config", "stats_flush_interval"]);
  const resources = (root["static_resources"] ?? {}) as Yaml;
  known(resources, "static_resources", ["listeners", "clusters"]);
  const stats = (root["stats_config"] ?? {}) as Yaml;
  known(stats, "stats_config", ["stats_tags"]);
  const statsTags = ((stats["stats_tags"] ?? []) as Yaml[]).map((t) => ({
    tagName: String(t["tag_name"]),
    regex: String(t["regex"]),
  }));
  const node = (root["node"] ?? {}) as Yaml;
  const admin = root["admin"] ? socket((root["admin"] as Yaml)["address"], "admin.address") : null;
  const listeners = ((resources["listeners"] ?? []) as Yaml[]).map((l, i) =>
    listener(l, `static_resources.listeners[${i}]`, unsupported),
  );
  const clusters = new Map<string, Cluster>();
  ((resources["clusters"] ?? []) as Yaml[]).forEach((c, i) => {
    const made = cluster(c, `static_resources.clusters[${i}]`, unsupported);
    clusters.set(made.name, made);
  });
  return {
    listeners,
    clusters,
    admin,
    node: { id: String(node["id"] ?? ""), metadata: (node["metadata"] ?? {}) as NodeMetadata },
    statsTags,
    unsupported,
  };
}

function socket(address: unknown, path: string): { address: string; port: number } {
  const s = (address as Yaml | undefined)?.["socket_address"] as Yaml | undefined;
  if (!s || typeof s["port_value"] !== "number") throw new Error(`${path}: needs socket_address with port_value`);
  return { address: String(s["address"] ?? "127.0.0.1"), port: s["port_value"] };
}

function listener(l: Yaml, path: string, unsupported: string[]): Listener {
  for (const key of Object.keys(l))
    if (!["name", "address", "filter_chains"].includes(key)) unsupported.push(`${path}.${key}`);
  const { address, port } = socket(l["address"], `${path}.address`);
  const chains = (l["filter_chains"] ?? []) as Yaml[];
  if (chains.length !== 1) throw new Error(`${path}.filter_chains: the dev proxy serves exactly one filter chain`);
  const filters = (chains[0]!["filters"] ?? []) as Yaml[];
  const hcm = filters[0]?.["typed_config"] as Yaml | undefined;
  if (filters.length !== 1 || hcm?.["@type"] !== HCM_TYPE) {
    throw new Error(`${path}.filter_chains[0].filters: the dev proxy serves one http_connection_manager`);
  }
  const hcmPath = `${path}.filter_chains[0].filters[0].typed_config`;
  for (const key of Object.keys(hcm)) {
    if (!["@type", "stat_prefix", "route_config", "http_filters"].includes(key)) unsupported.push(`${hcmPath}.${key}`);
  }
  const routeConfig = (hcm["route_config"] ?? {}) as Yaml;
  const routes: Route[] = [];
  ((routeConfig["virtual_hosts"] ?? []) as Yaml[]).forEach((vh, v) => {
    const domains = (vh["domains"] ?? []) as string[];
    if (!(domains.length === 1 && domains[0] === "*"))
      unsupported.push(`${hcmPath}.route_config.virtual_hosts[${v}].domains`);
    ((vh["routes"] ?? []) as Yaml[]).forEach((r, i) =>
      routes.push(route(r, `${hcmPath}.route_config.virtual_hosts[${v}].routes[${i}]`, unsupported)),
    );
  });
  const wasm: WasmFilter[] = [];
  ((hcm["http_filters"] ?? []) as Yaml[]).forEach((f, i) => {
    const type = (f["typed_config"] as Yaml | undefined)?.["@type"];
    if (type === ROUTER_TYPE) return;
    if (type !== WASM_TYPE)
      throw new Error(
        `${hcmPath}.http_filters[${i}]: the dev proxy runs only Wasm filters and the router, not ${String(type)}`,
      );
    wasm.push(wasmFilter(f, `${hcmPath}.http_filters[${i}]`, unsupported));
  });
  return {
    name: String(l["name"] ?? path),
    address,
    port,
    routeName: String(routeConfig["name"] ?? ""),
    routes,
    filters: wasm,
  };
}

function route(r: Yaml, path: string, unsupported: string[]): Route {
  const match = (r["match"] ?? {}) as Yaml;
  const action = (r["route"] ?? {}) as Yaml;
  for (const key of Object.keys(match))
    if (!["prefix", "path", "safe_regex"].includes(key)) unsupported.push(`${path}.match.${key}`);
  for (const key of Object.keys(action))
    if (!["cluster", "prefix_rewrite", "timeout"].includes(key)) unsupported.push(`${path}.route.${key}`);
  if (typeof action["cluster"] !== "string")
    throw new Error(`${path}.route.cluster: the dev proxy routes to a named cluster`);
  const regex = (match["safe_regex"] as Yaml | undefined)?.["regex"];
  return {
    prefix: match["prefix"] as string | undefined,
    path: match["path"] as string | undefined,
    regex: typeof regex === "string" ? new RegExp(`^(?:${regex})$`) : undefined,
    cluster: action["cluster"],
    prefixRewrite: action["prefix_rewrite"] as string | undefined,
  };
}

function wasmFilter(f: Yaml, path: string, unsupported: string[]): WasmFilter {
  const config = ((f["typed_config"] as Yaml)["config"] ?? {}) as Yaml;
  for (const key of Object.keys(config)) {
    if (!["name", "root_id", "vm_config", "configuration", "failure_policy"].includes(key))
      unsupported.push(`${path}.typed_config.config.${key}`);
  }
  const vm = (config["vm_config"] ?? {}) as Yaml;
  const file = (((vm["code"] ?? {}) as Yaml)["local"] as Yaml | undefined)?.["filename"];
  if (typeof file !== "string")
    throw new Error(`${path}.typed_config.config.vm_config.code.local.filename: the dev proxy loads local files`);
  const configuration = (config["configuration"] ?? {}) as Yaml;
  return {
    name: String(config["name"] ?? f["name"]),
    rootId: String(config["root_id"] ?? ""),
    vmId: String(vm["vm_id"] ?? ""),
    file,
    configuration: String(configuration["value"] ?? ""),
    failurePolicy: (config["failure_policy"] as WasmFilter["failurePolicy"] | undefined) ?? "FAIL_CLOSED",
  };
}

function cluster(c: Yaml, path: string, unsupported: string[]): Cluster {
  for (const key of Object.keys(c))
    if (!["name", "type", "connect_timeout", "load_assignment"].includes(key)) unsupported.push(`${path}.${key}`);
  const type = String(c["type"] ?? "STATIC");
  if (!["STATIC", "STRICT_DNS", "LOGICAL_DNS"].includes(type)) unsupported.push(`${path}.type`);
  const endpoints = (((c["load_assignment"] as Yaml | undefined)?.["endpoints"] ?? []) as Yaml[])[0]?.[
    "lb_endpoints"
  ] as Yaml[] | undefined;
  const endpoint = endpoints?.[0]?.["endpoint"] as Yaml | undefined;
  const { address, port } = socket(
    endpoint?.["address"],
    `${path}.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address`,
  );
  const timeout = String(c["connect_timeout"] ?? "5s");
  return { name: String(c["name"]), address, port, connectTimeoutMs: Math.round(parseFloat(timeout) * 1000) };
}

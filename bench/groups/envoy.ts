// Real Envoy (one worker) under load from wrk: each shipped filter and the demo chain on one
// listener against a second listener of the same Envoy without Wasm filters, both proxying to a
// backend (a second Envoy answering 200 itself), as a sidecar or gateway forwards to a service; and
// header-rewrite against its Go SDK peer (bench/go-peer.ts) doing the same header operations.
// Configs are envoy-configs/*.yaml. The SDK's pass-through module in header-rewrite's place shows
// what any Wasm filter costs on this machine (in the demo's four filters' places, what any chain of
// four costs), and telemetry also runs with Istio's standard metrics only (its shipped configuration
// adds an access log line, tracing and a custom metric).

import { generateKeyPairSync, sign } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ENVOY_INSTALL_HINT, type EnvoyLauncher, findEnvoy } from "../../cli/envoy.js";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DemoServices } from "../../cli/dev/demo.js";
import { type PortPlan, freePort, loadBootstrap, writeWithPorts } from "../../test/e2e/support/config.js";
import { type Case } from "../case.js";
import { buildGoPeer } from "../go-peer.js";
import { Background, type LoadTarget, expectOk, loadCases, requireWrk, statusOf } from "../load.js";
import { buildPassThrough } from "../pass-through.js";

type Yaml = Record<string, unknown>;

const WASM_TYPE = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";

/** One Envoy run: a bootstrap with a candidate and a baseline listener, and the request sent to both. */
interface Comparison {
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

function connectionManagers(bootstrap: Yaml): Yaml[] {
  const listeners = (bootstrap["static_resources"] as Yaml)["listeners"] as Yaml[];
  return listeners.flatMap((l) => (l["filter_chains"] as Yaml[]).flatMap((c) => c["filters"] as Yaml[]));
}

const BACKEND_CLUSTER = "bench_backend";

// Every route goes to the backend on `port` (cluster bench_backend).
function routeToBackend(bootstrap: Yaml, port: number): Yaml {
  for (const filter of connectionManagers(bootstrap)) {
    const routeConfig = (filter["typed_config"] as Yaml)["route_config"] as Yaml;
    for (const host of routeConfig["virtual_hosts"] as Yaml[]) {
      host["routes"] = [{ match: { prefix: "/" }, route: { cluster: BACKEND_CLUSTER } }];
    }
  }
  const resources = bootstrap["static_resources"] as Yaml;
  resources["clusters"] = [...((resources["clusters"] ?? []) as Yaml[]), staticCluster(BACKEND_CLUSTER, port)];
  return bootstrap;
}

function staticCluster(name: string, port: number): Yaml {
  const address = { socket_address: { address: "127.0.0.1", port_value: port } };
  return {
    name,
    type: "STATIC",
    connect_timeout: "1s",
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address } }] }] },
  };
}

// The backend: one Envoy listener answering every request 200 "ok" itself.
function backendBootstrap(port: number, admin: number): Yaml {
  const address = (p: number) => ({ socket_address: { address: "127.0.0.1", port_value: p } });
  const manager = {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    stat_prefix: "backend",
    route_config: {
      virtual_hosts: [
        {
          name: "backend",
          domains: ["*"],
          routes: [{ match: { prefix: "/" }, direct_response: { status: 200, body: { inline_string: "ok\n" } } }],
        },
      ],
    },
    http_filters: [
      {
        name: "envoy.filters.http.router",
        typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" },
      },
    ],
  };
  return {
    admin: { address: address(admin) },
    static_resources: {
      listeners: [
        {
          name: "backend",
          address: address(port),
          filter_chains: [
            { filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: manager }] },
          ],
        },
      ],
    },
  };
}

// Starts the backend Envoy (one worker) and returns its port.
async function startBackend(envoy: EnvoyLauncher, started: Background[]): Promise<number> {
  const port = await freePort();
  const admin = await freePort();
  const config = await writeWithPorts(backendBootstrap(port, admin), { admin, listeners: {}, clusters: {} });
  const args = ["-c", config, "--concurrency", "1", "--use-dynamic-base-id", "--log-level", "warn"];
  const running = Background.start(envoy.command, [...envoy.prefix, ...args], process.cwd());
  started.push(running);
  const ready = async () => (await statusOf(`http://127.0.0.1:${admin}/ready`)) === 200;
  try {
    await running.waitUntil(ready, "the backend Envoy");
  } finally {
    rmSync(dirname(config), { recursive: true, force: true });
  }
  return port;
}

// Adds listener `name`: a copy of "ingress" whose Wasm HTTP filters are replaced by `filters`.
function addListener(bootstrap: Yaml, name: string, filters: (wasm: Yaml[]) => Yaml[]): Yaml {
  const listeners = (bootstrap["static_resources"] as Yaml)["listeners"] as Yaml[];
  const copy = structuredClone(listeners.find((l) => l["name"] === "ingress")!);
  copy["name"] = name;
  const hcm = ((copy["filter_chains"] as Yaml[])[0]!["filters"] as Yaml[])[0]!["typed_config"] as Yaml;
  hcm["stat_prefix"] = `${name}_http`;
  const all = hcm["http_filters"] as Yaml[];
  const isWasm = (f: Yaml) => (f["typed_config"] as Yaml)["@type"] === WASM_TYPE;
  hcm["http_filters"] = [...filters(all.filter(isWasm)), ...all.filter((f) => !isWasm(f))];
  listeners.push(copy);
  return bootstrap;
}

function wasmConfig(filter: Yaml): Yaml {
  return (filter["typed_config"] as Yaml)["config"] as Yaml;
}

// The Wasm HTTP filters of every listener of `bootstrap`.
function wasmFilters(bootstrap: Yaml): Yaml[] {
  return connectionManagers(bootstrap)
    .flatMap((manager) => (manager["typed_config"] as Yaml)["http_filters"] as Yaml[])
    .filter((filter) => (filter["typed_config"] as Yaml)["@type"] === WASM_TYPE);
}

/**
 * Makes every Wasm filter of `bootstrap` fail closed: one that failed open (telemetry ships so)
 * would let the requests of a load test pass untouched and be counted as its throughput; closed,
 * they get 503s and the run stops with wrk's non-2xx count.
 */
export function failClosed(bootstrap: Yaml): void {
  for (const filter of wasmFilters(bootstrap)) wasmConfig(filter)["failure_policy"] = "FAIL_CLOSED";
}

function setConfiguration(bootstrap: Yaml, name: string, edit: (configuration: string) => string): Yaml {
  for (const filter of wasmFilters(bootstrap)) {
    if (filter["name"] !== name) continue;
    const configuration = wasmConfig(filter)["configuration"] as Yaml;
    configuration["value"] = edit(configuration["value"] as string);
  }
  return bootstrap;
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

// demo.yaml with the demo's identity provider and log collector on free ports, and its token.
async function demo(started: { stop(): Promise<void> }[]): Promise<Comparison> {
  const bootstrap = await loadBootstrap(process.cwd(), "demo.yaml");
  const clusters = { upstream: await freePort(), idp: await freePort(), "log-collector": await freePort() };
  const servicesFile = await writeWithPorts(bootstrap, { admin: 0, listeners: {}, clusters });
  const services = await DemoServices.start(await loadDevBootstrap(servicesFile));
  started.push(services);
  rmSync(dirname(servicesFile), { recursive: true, force: true });
  const token = services.token({ sub: "alice", role: "viewer", tenant: "acme" });
  return {
    name: "envoy.demo.cached",
    bootstrap,
    clusters,
    path: "/api/hello",
    headers: [
      ["authorization", `Bearer ${token}`],
      ["x-debug-trace", "1"],
    ],
    expectHeader: ["x-served-by", "envoy-as demo"],
  };
}

// Makes Wasm `filter` run module `wasm` under `name` (filter, root id and VM id) with `configuration`.
function runModule(filter: Yaml, name: string, wasm: string, configuration: string): void {
  const config = wasmConfig(filter);
  filter["name"] = config["name"] = config["root_id"] = name;
  config["vm_config"] = { vm_id: name, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: wasm } } };
  config["configuration"] = { "@type": "type.googleapis.com/google.protobuf.StringValue", value: configuration };
}

// header-rewrite.yaml running the pass-through module `wasm`.
async function passThrough(wasm: string): Promise<Comparison> {
  const bootstrap = await loadBootstrap(process.cwd(), "header-rewrite.yaml");
  for (const filter of wasmFilters(bootstrap)) runModule(filter, "pass-through", wasm, "{}");
  return { name: "envoy.pass-through", bootstrap, path: "/api/v1/items/7?q=shoes", headers: [] };
}

// demo.yaml with each of its four Wasm filters running the pass-through module `wasm` in a VM of its
// own, as the demo's filters run: what four Wasm filters cost before they do anything.
async function passThroughChain(wasm: string): Promise<Comparison> {
  const bootstrap = await loadBootstrap(process.cwd(), "demo.yaml");
  wasmFilters(bootstrap).forEach((filter, index) => runModule(filter, `pass-through-${index + 1}`, wasm, "{}"));
  return { name: "envoy.pass-through.demo", bootstrap, path: "/api/hello", headers: [] };
}

// header-rewrite with the Go peer's rules on "ingress" against the Go module on listener "go".
async function goPeer(): Promise<Comparison | string> {
  const peer = await buildGoPeer();
  if ("skip" in peer) return peer.skip;
  const bootstrap = setConfiguration(
    await loadBootstrap(process.cwd(), "header-rewrite.yaml"),
    "header-rewrite",
    () => peer.configuration,
  );
  addListener(bootstrap, "go", (wasm) =>
    wasm.map((filter) => {
      const go = structuredClone(filter);
      runModule(go, "go-header-rewrite", peer.wasm, "");
      return go;
    }),
  );
  return {
    name: "envoy.go-peer",
    bootstrap,
    baselineListener: "go",
    path: "/items?id=7",
    headers: [["x-internal-debug", "1"]],
    expectHeader: ["x-served-by", "envoy-as"],
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-4_000);
  } catch {
    return "";
  }
}

// Starts Envoy with one worker on `comparison`'s bootstrap (routes to the backend, a no-Wasm
// "baseline" listener unless another is named) and returns the candidate and baseline targets.
async function startEnvoy(
  envoy: EnvoyLauncher,
  comparison: Comparison,
  backendPort: number,
  started: Background[],
): Promise<{ candidate: LoadTarget; baseline: LoadTarget; directory: string }> {
  const baselineName = comparison.baselineListener ?? "baseline";
  if (!comparison.baselineListener) addListener(comparison.bootstrap, "baseline", () => []);
  routeToBackend(comparison.bootstrap, backendPort);
  failClosed(comparison.bootstrap);
  const ports: PortPlan = {
    admin: await freePort(),
    listeners: { ingress: await freePort(), [baselineName]: await freePort() },
    clusters: comparison.clusters ?? {},
  };
  const config = await writeWithPorts(comparison.bootstrap, ports);
  const log = join(dirname(config), "envoy.log");
  // Info level for the wasm logger so telemetry's access log lines are written, as its config intends.
  const args = ["-c", config, "--concurrency", "1", "--use-dynamic-base-id", "--log-level", "warn"];
  args.push("--component-log-level", "wasm:info", "--log-path", log);
  const running = Background.start(envoy.command, [...envoy.prefix, ...args], process.cwd());
  started.push(running);
  const ready = async () => (await statusOf(`http://127.0.0.1:${ports.admin}/ready`)) === 200;
  await running.waitUntil(ready, `Envoy for ${comparison.name}`).catch((error: Error) => {
    const message = `${error.message}\n${tail(log)}`;
    rmSync(dirname(config), { recursive: true, force: true });
    throw new Error(message);
  });
  const target = (listener: string, expectHeader: [string, string] | undefined): LoadTarget => ({
    url: `http://127.0.0.1:${ports.listeners[listener]}${comparison.path}`,
    headers: comparison.headers,
    expectHeader,
  });
  // A named baseline listener runs a peer filter doing the same work, so it must set the header too.
  const baselineHeader = comparison.baselineListener ? comparison.expectHeader : undefined;
  return {
    candidate: target("ingress", comparison.expectHeader),
    baseline: target(baselineName, baselineHeader),
    directory: dirname(config),
  };
}

async function measure(envoy: EnvoyLauncher, comparison: Comparison, backendPort: number): Promise<Case[]> {
  const started: Background[] = [];
  let directory = "";
  try {
    const targets = await startEnvoy(envoy, comparison, backendPort, started);
    directory = targets.directory;
    await expectOk(targets.candidate, `${comparison.name} (filter listener)`);
    await expectOk(targets.baseline, `${comparison.name} (baseline listener)`);
    return await loadCases(comparison.name, targets.candidate, targets.baseline);
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    if (directory !== "") rmSync(directory, { recursive: true, force: true });
  }
}

async function shipped(file: string, path: string, headers: [string, string][] = []): Promise<Comparison> {
  const name = `envoy.${file.replace(/\.yaml$/, "")}`;
  return { name, bootstrap: await loadBootstrap(process.cwd(), file), path, headers };
}

export default async function envoyGroup(): Promise<Case[]> {
  await requireWrk();
  const envoy = findEnvoy();
  if (!envoy) throw new Error(ENVOY_INSTALL_HINT);
  const backend: Background[] = [];
  const services: { stop(): Promise<void> }[] = [];
  try {
    const port = await startBackend(envoy, backend);
    const cases: Case[] = [];
    const header = await shipped("header-rewrite.yaml", "/api/v1/items/7?q=shoes", [
      ["x-internal-debug", "1"],
      ["x-debug-trace", "1"],
    ]);
    header.expectHeader = ["x-served-by", "envoy-as"];
    cases.push(...(await measure(envoy, header, port)));
    // /items meets allow-reads; the CUSTOM (ext-authz) policy covers only /orders/*, so no callout.
    cases.push(...(await measure(envoy, await shipped("abac-authz.yaml", "/items"), port)));
    const passThroughWasm = await buildPassThrough();
    cases.push(...(await measure(envoy, await passThrough(passThroughWasm), port)));
    cases.push(...(await measure(envoy, await shipped("telemetry.yaml", "/api/items", [["x-tier", "gold"]]), port)));
    const standard = await shipped("telemetry.yaml", "/api/items", [["x-tier", "gold"]]);
    standard.name = "envoy.telemetry.standard";
    setConfiguration(standard.bootstrap, "telemetry", () => "{}");
    cases.push(...(await measure(envoy, standard, port)));
    cases.push(...(await measure(envoy, await jwtAuthn(), port)));
    cases.push(...(await measure(envoy, await demo(services), port)));
    cases.push(...(await measure(envoy, await passThroughChain(passThroughWasm), port)));
    const peer = await goPeer();
    if (typeof peer === "string") console.error(`envoy: go-peer skipped: ${peer}`);
    else cases.push(...(await measure(envoy, peer, port)));
    return cases;
  } finally {
    await Promise.all([...services.map((s) => s.stop()), ...backend.map((p) => p.stop())]);
  }
}

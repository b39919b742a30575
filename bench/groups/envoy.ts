// Real Envoy (one worker) under load from wrk: each shipped filter and the demo chain on one
// listener against a second listener of the same Envoy without Wasm filters, both proxying to a
// backend (a second Envoy answering 200 itself), as a sidecar or gateway forwards to a service; and
// header-rewrite against its Go SDK peer (bench/go-peer.ts) doing the same header operations.
// Configs are envoy-configs/*.yaml. The SDK's pass-through module in header-rewrite's place shows
// what any Wasm filter costs on this machine (in the demo's four filters' places, what any chain of
// four costs); the calls-only module in each filter's place, what the host calls of the filter's
// request cost without its code; and telemetry also runs with Istio's standard metrics only (its
// shipped configuration adds an access log line, tracing and a custom metric).

import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ENVOY_INSTALL_HINT, type EnvoyLauncher, findEnvoy } from "../../cli/envoy.js";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DemoServices } from "../../cli/dev/demo.js";
import { type PortPlan, freePort, loadBootstrap, writeWithPorts } from "../../test/e2e/support/config.js";
import { type Case } from "../case.js";
import {
  type Comparison,
  type Yaml,
  SHIPPED_FILTERS,
  callsOnly,
  connectionManagers,
  failClosed,
  isWasmFilter,
  runModule,
  setConfiguration,
  shipped,
  wasmFilters,
} from "../envoy-comparisons.js";
import { buildGoPeer } from "../go-peer.js";
import { Background, type LoadTarget, expectOk, loadCases, requireWrk, statusOf } from "../load.js";
import { buildCallsOnly, buildPassThrough } from "../fixture-modules.js";

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
  hcm["http_filters"] = [...filters(all.filter(isWasmFilter)), ...all.filter((f) => !isWasmFilter(f))];
  listeners.push(copy);
  return bootstrap;
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

// Runs `comparison` (on a copy of its bootstrap, which starting Envoy edits) and returns its cases.
async function measure(envoy: EnvoyLauncher, comparison: Comparison, backendPort: number): Promise<Case[]> {
  const started: Background[] = [];
  let directory = "";
  try {
    const own = { ...comparison, bootstrap: structuredClone(comparison.bootstrap) };
    const targets = await startEnvoy(envoy, own, backendPort, started);
    directory = targets.directory;
    await expectOk(targets.candidate, `${comparison.name} (filter listener)`);
    await expectOk(targets.baseline, `${comparison.name} (baseline listener)`);
    return await loadCases(comparison.name, targets.candidate, targets.baseline);
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    if (directory !== "") rmSync(directory, { recursive: true, force: true });
  }
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
    const passThroughWasm = await buildPassThrough();
    const callsOnlyWasm = await buildCallsOnly();
    cases.push(...(await measure(envoy, await passThrough(passThroughWasm), port)));
    for (const filter of SHIPPED_FILTERS) {
      const comparison = await shipped(filter);
      cases.push(...(await measure(envoy, comparison, port)));
      cases.push(...(await measure(envoy, callsOnly(comparison, filter, callsOnlyWasm), port)));
    }
    const standard = await shipped("telemetry");
    standard.name = "envoy.telemetry.standard";
    setConfiguration(standard.bootstrap, "telemetry", () => "{}");
    cases.push(...(await measure(envoy, standard, port)));
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

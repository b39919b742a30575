// Setups for the fault suite (faults.test.ts): the demo chain of envoy-configs/demo.yaml with its
// filters' configurations edited, optionally with the probe test module (traps on `x-probe: trap`)
// behind them under a chosen failure policy, and abac-authz with its example's CUSTOM provider edited.

import { join } from "node:path";
import { type FailurePolicy, FilterChain, HostEnvironment, Plugin } from "../../harness/index.js";
import { DEMO_FILTERS, demoConfiguration } from "../../bench/demo-chain.js";
import { NOW } from "../filters/jwt-authn/support.js";
import { exampleConfiguration } from "./support.js";

type Json = Record<string, unknown>;

/** Options of a demo chain: configuration edits per filter, and the probe module at the end. */
export interface DemoChainOptions {
  /** Changes the parsed demo.yaml configuration of a filter in place. */
  edit?: Partial<Record<string, (configuration: Json) => void>>;
  /** Adds the probe after header-rewrite with this failure policy. */
  probe?: FailurePolicy;
  /** The clusters Envoy has (demo.yaml's idp and log-collector by default). */
  clusters?: string[];
}

/** The demo chain on a fresh environment whose clock reads NOW; throws when a filter does not start. */
export async function demoChain(options: DemoChainOptions = {}): Promise<FilterChain> {
  const environment = new HostEnvironment({
    startTime: BigInt(NOW) * 1_000_000_000n,
    clusters: options.clusters ?? ["idp", "log-collector"],
  });
  const plugins: Plugin[] = [];
  for (const filter of DEMO_FILTERS) {
    const configuration = JSON.parse(demoConfiguration(filter)) as Json;
    options.edit?.[filter]?.(configuration);
    const plugin = await Plugin.load(join("build", `${filter}.wasm`), {
      rootId: filter,
      vmId: filter,
      configuration,
      environment,
    });
    plugins.push(plugin);
  }
  if (options.probe) {
    const probe = await Plugin.load(join("build", "fixtures", "probe.wasm"), {
      name: "probe",
      rootId: "probe",
      vmId: "probe",
      failurePolicy: options.probe,
      environment,
    });
    plugins.push(probe);
  }
  for (const plugin of plugins) {
    if (plugin.status !== "running") throw new Error(`${plugin.spec.name} did not start: ${plugin.failure}`);
  }
  return new FilterChain(plugins);
}

/** The plugin named `name` in `chain`. */
export function pluginOf(chain: FilterChain, name: string): Plugin {
  const plugin = chain.plugins.find((p) => p.spec.name === name);
  if (!plugin) throw new Error(`no ${name} in the chain`);
  return plugin;
}

/** A metric counter of the chain's environment, 0 when never written. */
export function counterOf(chain: FilterChain, name: string): number {
  return Number(chain.plugins[0]!.environment.metrics.counter(name) ?? 0n);
}

/** abac-authz with envoy-configs/abac-authz.yaml's configuration, its CUSTOM provider given `provider` members. */
export async function abacWithProvider(provider: Json, clusters = ["ext-authz"]): Promise<Plugin> {
  const configuration = JSON.parse(await exampleConfiguration("abac-authz")) as Json;
  const [first] = configuration["extension_providers"] as { envoyExtAuthzHttp: Json }[];
  Object.assign(first!.envoyExtAuthzHttp, provider);
  const environment = new HostEnvironment({ clusters });
  return Plugin.load(join("build", "abac-authz.wasm"), { rootId: "abac-authz", configuration, environment });
}

// Shared helpers for the robustness properties: how many cases each property runs, the filters with
// the configurations of their envoy-configs/*.yaml examples, a plugin holder that replaces a dead
// plugin (so fast-check can shrink after a trap), and how one stream ended.

import { HostEnvironment, type HttpStream, LogLevel, Plugin } from "../../harness/index.js";
import { loadBootstrap, wasmFilterConfiguration } from "../e2e/support/config.js";

/** Cases per property: 1,000, or ROBUSTNESS_RUNS when set. */
export const RUNS = Number(process.env["ROBUSTNESS_RUNS"] ?? 1000);

/** A test timeout that grows with RUNS, at `perCaseMs` per case plus a minute. */
export function timeoutFor(perCaseMs: number): number {
  return 60_000 + RUNS * perCaseMs;
}

/** The four built filters. */
export const FILTERS = ["header-rewrite", "jwt-authn", "abac-authz", "telemetry"] as const;

/** One filter's name. */
export type FilterName = (typeof FILTERS)[number];

/** The `configuration` text of `filter` in envoy-configs/<filter>.yaml. */
export async function exampleConfiguration(filter: FilterName): Promise<string> {
  return wasmFilterConfiguration(await loadBootstrap(process.cwd(), `${filter}.yaml`), filter);
}

/** Loads `build/<filter>.wasm` with `configuration`, in an environment that has abac-authz's ext-authz cluster. */
export function loadFilter(filter: FilterName, configuration: string | Uint8Array | object): Promise<Plugin> {
  const environment = new HostEnvironment({ clusters: ["ext-authz"] });
  return Plugin.load(`build/${filter}.wasm`, { rootId: filter, configuration, environment });
}

/** Keeps one running plugin per filter and loads a fresh one when the last one's VM died. */
export class PluginHolder {
  private plugin: Plugin | null = null;

  constructor(
    private readonly filter: FilterName,
    private readonly configuration: string,
  ) {}

  /** A running plugin with no failed worker. */
  async get(): Promise<Plugin> {
    if (this.plugin === null || this.plugin.trap !== null) {
      this.plugin = await loadFilter(this.filter, this.configuration);
      if (this.plugin.status !== "running") {
        throw new Error(`${this.filter} refused its example configuration: ${this.plugin.logMessages(LogLevel.Error)}`);
      }
    }
    return this.plugin;
  }
}

/** How a stream ended at the filter. */
export type Outcome = { kind: "upstream" } | { kind: "reply"; status: number } | { kind: "stuck" };

/** Whether the request went upstream, was answered locally (with which status), or neither. */
export function outcomeOf(stream: HttpStream): Outcome {
  if (stream.localReply) return { kind: "reply", status: stream.localReply.status };
  return stream.upstreamRequest.headers ? { kind: "upstream" } : { kind: "stuck" };
}

/** The trap message of the stream or the plugin, or null when the VM is alive. */
export function trapOf(plugin: Plugin, stream: HttpStream | null): string | null {
  return stream?.trap?.message ?? plugin.trap?.message ?? null;
}

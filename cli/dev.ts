// `envoy-as dev [CONFIG]`: serves CONFIG (default envoy-configs/demo.yaml) with the dev proxy; for
// the demo it also starts the demo services and prints curl commands to try. Ctrl-C stops it all.

import { existsSync } from "node:fs";
import { basename } from "node:path";
import { loadDevBootstrap } from "./dev/bootstrap.js";
import { demoScript } from "./dev/commands.js";
import { DemoServices } from "./dev/demo.js";
import { DevProxy } from "./dev/proxy.js";
import { flushStandardError } from "./dev/wasm-log.js";
import { DEFAULT_ENVOY_CONFIG as DEMO_CONFIG } from "./envoy.js";

/** Usage line of the dev command. */
export const DEV_USAGE = "dev [CONFIG]";

/** Something started that Ctrl-C must stop. */
export interface Running {
  stop(): Promise<void>;
}

/** Starts the demo services when `config` is the demo; null otherwise. */
export async function startDemoServices(config: string): Promise<DemoServices | null> {
  if (basename(config) !== basename(DEMO_CONFIG)) return null;
  return DemoServices.start(await loadDevBootstrap(config));
}

/** Prints the demo's curl commands for `config`'s ports. */
export async function printDemoScript(config: string, out: (line: string) => void): Promise<void> {
  const bootstrap = await loadDevBootstrap(config);
  const port = (name: string) => bootstrap.clusters.get(name)!.port;
  out(
    demoScript({
      listener: bootstrap.listeners[0]!.port,
      admin: bootstrap.admin?.port ?? 9901,
      idp: port("idp"),
      collector: port("log-collector"),
    }),
  );
}

/** Runs `envoy-as dev [CONFIG]`; resolves with the exit code once stopped by a signal. */
export async function devCommand(args: string[], out: (line: string) => void): Promise<number> {
  const config = args[0] ?? DEMO_CONFIG;
  if (!existsSync(config))
    throw new Error(`config file not found: ${config} (pass an Envoy bootstrap, e.g. ${DEMO_CONFIG})`);
  const bootstrap = await loadDevBootstrap(config);
  for (const filter of bootstrap.listeners.flatMap((listener) => listener.filters)) {
    if (!existsSync(filter.file))
      throw new Error(
        `${filter.file} (Wasm filter ${filter.name} in ${config}) not found: run \`npx envoy-as build\` first`,
      );
  }
  for (const path of bootstrap.unsupported) out(`envoy-as dev: not supported by the dev proxy, left out: ${path}`);
  const started: Running[] = [];
  const services = await startDemoServices(config);
  if (services) started.push(services);
  try {
    started.push(await DevProxy.start(bootstrap));
  } catch (error) {
    // The filters' start-up lines go out before the error that names them.
    flushStandardError();
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  // The handlers go in before the proxy says it serves: a SIGTERM that arrives in between, before
  // Node listens for it, would end the process by the signal's default action.
  const stopped = waitForSignal(started);
  const listeners = bootstrap.listeners.map((l) => `${l.address}:${l.port}`).join(", ");
  out(
    `envoy-as dev: serving ${config} on ${listeners} (admin ${bootstrap.admin ? `${bootstrap.admin.address}:${bootstrap.admin.port}` : "off"})`,
  );
  if (services) await printDemoScript(config, out);
  return stopped;
}

/** Resolves with 0 once SIGINT or SIGTERM arrived and everything in `started` stopped. */
export function waitForSignal(started: Running[]): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void Promise.all(started.map((s) => s.stop())).then(() => resolve(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

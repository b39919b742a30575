// `envoy-as wasmplugin FILTER --image REF ...`: prints the Istio WasmPlugin (and optionally the Istio
// 1.30+ TrafficExtension and an Envoy Gateway EnvoyExtensionPolicy) loading a filter from an OCI
// image, pinned to the image's manifest digest (distribution.md 2.5), checked before it is printed.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { placementFor } from "./k8s/placement.js";
import { pluginConfigProblems } from "./k8s/plugin-config.js";
import {
  envoyExtensionPolicy,
  type PluginOptions,
  type Resource,
  trafficExtension,
  wasmPlugin,
} from "./k8s/resources.js";
import { validateResource } from "./k8s/validate-resource.js";
import { readLayout } from "./oci/layout.js";
import { parseReference } from "./oci/reference.js";

/** How `wasmplugin` is called. */
export const WASMPLUGIN_USAGE =
  "wasmplugin FILTER --image REF [--config FILE] [--sha256 HEX] [--namespace NS] [--selector K=V]... " +
  "[--mode CLIENT|SERVER|CLIENT_AND_SERVER] [--port N]... [--traffic-extension] [--envoy-gateway [--gateway NAME]]";

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface Arguments {
  filter: string;
  values: Map<string, string[]>;
  flags: Set<string>;
}

const VALUED = ["--image", "--config", "--sha256", "--namespace", "--selector", "--mode", "--port", "--gateway"];
const FLAGS = ["--traffic-extension", "--envoy-gateway"];
const REPEATABLE = ["--selector", "--port"];

class UsageError extends Error {}
class InputError extends Error {}

function parseArguments(args: string[]): Arguments {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (FLAGS.includes(arg)) flags.add(arg);
    else if (VALUED.includes(arg)) {
      const value = args[++index];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (values.has(arg) && !REPEATABLE.includes(arg)) throw new UsageError(`${arg} given twice`);
      values.set(arg, [...(values.get(arg) ?? []), value]);
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError("needs one FILTER");
  if (!values.has("--image")) throw new UsageError("needs --image REF");
  if (values.has("--gateway") && !flags.has("--envoy-gateway")) throw new UsageError("--gateway needs --envoy-gateway");
  return { filter: positional[0]!, values, flags };
}

function one(args: Arguments, name: string): string | undefined {
  return args.values.get(name)?.[0];
}

function selector(pairs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals < 0) throw new UsageError(`--selector ${pair}: expected KEY=VALUE`);
    labels[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return labels;
}

function ports(values: string[]): number[] {
  return values.map((value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535)
      throw new UsageError(`--port ${value}: expected a port number 1-65535`);
    return Number(value);
  });
}

/** Reads --config (JSON, or YAML for other extensions) and checks it against the filter's schema. */
function pluginConfig(filter: string, file: string): unknown {
  let config: unknown;
  try {
    const text = readFileSync(file, "utf8");
    config = file.endsWith(".json") ? JSON.parse(text) : parse(text);
  } catch (error) {
    throw new InputError(`--config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new InputError(`--config ${file}: the plugin configuration must be an object`);
  const problems = pluginConfigProblems(filter, config, "");
  if (problems && problems.length > 0)
    throw new InputError(problems.map((problem) => `--config ${file}: ${problem}`).join("\n"));
  return config;
}

/** The manifest digest to pin: --sha256, the reference's @sha256, or the layout `envoy-as package` wrote. */
async function manifestDigest(args: Arguments, image: string, layoutDir: string): Promise<string | null> {
  const reference = parseReference(image);
  if (typeof reference === "string") throw new UsageError(`--image ${reference}`);
  const pinned = reference.digest?.replace("sha256:", "") ?? null;
  const given = one(args, "--sha256")?.replace(/^sha256:/, "");
  if (given !== undefined && !/^[a-f0-9]{64}$/.test(given))
    throw new UsageError(`--sha256 ${given}: expected 64 lowercase hex digits (the manifest digest)`);
  if (given !== undefined && pinned !== null && given !== pinned)
    throw new InputError(`--sha256 ${given} disagrees with the digest in --image (${pinned})`);
  if (given !== undefined || pinned !== null) return given ?? pinned;
  if (!existsSync(layoutDir)) return null;
  try {
    const layout = await readLayout(layoutDir, reference.tag ?? undefined);
    return layout.manifestDescriptor.digest.replace("sha256:", "");
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new InputError(`${why}\n(pass --sha256 with the pushed image's manifest digest instead)`);
  }
}

function document(resource: Resource, comment: string): string {
  return `# ${comment}\n${stringify(resource, { lineWidth: 0 })}`;
}

/** Runs `envoy-as wasmplugin` with `args` from `cwd`; returns the exit code (0 printed, 1 bad input, 2 bad usage). */
export async function wasmpluginCommand(args: string[], io: Output, cwd = process.cwd()): Promise<number> {
  try {
    const parsed = parseArguments(args);
    const filter = parsed.filter;
    const image = one(parsed, "--image")!.replace(/^oci:\/\//, "");
    const layoutDir = resolve(cwd, join("build", "oci", filter));
    const sha256 = await manifestDigest(parsed, image, layoutDir);
    const configFile = one(parsed, "--config");
    const options: PluginOptions = {
      filter,
      namespace: one(parsed, "--namespace") ?? "default",
      image,
      sha256,
      selector: selector(parsed.values.get("--selector") ?? []),
      mode: one(parsed, "--mode"),
      ports: ports(parsed.values.get("--port") ?? []),
      pluginConfig: configFile === undefined ? undefined : pluginConfig(filter, resolve(cwd, configFile)),
    };
    const reason = placementFor(filter).reason;
    const resources: [Resource, string][] = [[wasmPlugin(options), `WasmPlugin for ${filter}: ${reason}`]];
    if (parsed.flags.has("--traffic-extension"))
      resources.push([trafficExtension(options), `TrafficExtension (Istio 1.30+) for ${filter}, same placement`]);
    if (parsed.flags.has("--envoy-gateway"))
      resources.push([
        envoyExtensionPolicy(options, one(parsed, "--gateway") ?? "eg"),
        `EnvoyExtensionPolicy (Envoy Gateway) for ${filter}; failOpen mirrors the failStrategy`,
      ]);
    const problems = resources.flatMap(([resource]) =>
      validateResource(resource, cwd).map((problem) => `${String(resource["kind"])}: ${problem}`),
    );
    if (problems.length > 0) throw new InputError(problems.join("\n"));
    if (sha256 === null)
      io.err(`envoy-as wasmplugin: no sha256 pinned (no --sha256, no @sha256 in --image, no ${layoutDir})`);
    io.out(resources.map(([resource, comment]) => document(resource, comment)).join("---\n"));
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof InputError)) throw error;
    io.err(
      error.message
        .split("\n")
        .map((line) => `envoy-as wasmplugin: ${line}`)
        .join("\n"),
    );
    if (error instanceof UsageError) io.err(`usage: envoy-as ${WASMPLUGIN_USAGE}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

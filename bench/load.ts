// Load generation for the real-Envoy and dev-proxy benchmarks: background processes in their own
// process group (Envoy, the dev proxy), Debian's wrk 4.1 as the second process that sends the load,
// and its "Requests/sec" and 99% latency parsed. Candidate and baseline runs are interleaved after a
// warm-up and reduced to medians, as performance.md section 5 asks of every ratio.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { type Case, ratioCase } from "./case.js";

/** The error a load group throws when wrk is not installed. */
export const WRK_MISSING =
  "wrk not found: apt-get install wrk (the real-Envoy and dev-proxy benchmarks send load with it)";

/** Seconds of load per measured run. */
export const LOAD_RUN_SECONDS = 5;
/** Seconds of load per target before the measured runs. */
const WARM_UP_SECONDS = 2;
/** Measured runs per target, interleaved with the other target's (performance.md section 5: at least 5). */
export const LOAD_ROUNDS = 5;
/** wrk's connections (one wrk thread drives them all). */
const CONNECTIONS = 16;
/** How much of a background process's output is kept for error messages. */
const LOG_TAIL_CHARS = 8_000;

/** A URL to load and the request headers every request carries. */
export interface LoadTarget {
  url: string;
  headers: [string, string][];
  /** A response header the target must set, checked before loading (e.g. proof a filter ran). */
  expectHeader?: [string, string];
}

/** What one wrk run measured. */
export interface LoadFigures {
  requestsPerSecond: number;
  p99Microseconds: number;
}

// Every process group still running. A benchmark stopped by SIGINT or SIGTERM kills them before
// it exits, so no Envoy or dev proxy outlives it.
const running = new Set<ChildProcess>();
let stopOnSignal = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is already gone.
  }
}

function stopAllOnSignal(): void {
  if (stopOnSignal) return;
  stopOnSignal = true;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      for (const child of running) killGroup(child, "SIGKILL");
      process.exit(code);
    });
  }
}

/** A process started in its own process group, with the tail of its output. */
export class Background {
  private output = "";
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-LOG_TAIL_CHARS));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.on("close", () => resolve()));
    running.add(child);
    child.on("close", () => running.delete(child));
    stopAllOnSignal();
  }

  /** Starts `command` from `cwd` in a new process group. */
  static start(command: string, args: string[], cwd: string): Background {
    return new Background(spawn(command, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
  }

  /** The last few thousand characters the process printed. */
  get log(): string {
    return this.output;
  }

  /** Polls `ready` every 100 ms until it is true; fails with the output if the process exits or time runs out. */
  async waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`${what} exited with ${this.child.exitCode ?? this.child.signalCode}:\n${this.output}`);
      }
      if (await ready()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Sends SIGTERM to the process group, SIGKILL after 5 s, and waits for the process to end. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    killGroup(this.child, "SIGTERM");
    const timer = setTimeout(() => killGroup(this.child, "SIGKILL"), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The status `url` answers a GET with, or null when nothing answers. */
export async function statusOf(url: string): Promise<number | null> {
  return fetch(url).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
    () => null,
  );
}

/** Throws unless `target` answers 200 (and its expected header) within `timeoutMs`; `what` names it. */
export async function expectOk(target: LoadTarget, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const response = await fetch(target.url, { headers: target.headers }).catch(() => null);
    if (response) {
      const body = await response.text();
      const [name, value] = target.expectHeader ?? ["", ""];
      const headerOk = name === "" || response.headers.get(name) === value;
      if (response.status === 200 && headerOk) return;
      last = `${response.status}${headerOk ? "" : ` without ${name}: ${value}`} ${body.slice(0, 200)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer 200 on ${target.url}: ${last}`);
}

const TIME_UNITS: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

/** Reads requests/s and the 99% latency (in microseconds) from wrk's `--latency` report; throws on failed requests. */
export function parseWrk(output: string): LoadFigures {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(output);
  if (!rps || !p99) throw new Error(`wrk printed no Requests/sec or 99% line:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  if (non2xx) throw new Error(`${non2xx[1]} responses were not 2xx or 3xx under load:\n${output}`);
  const errors = /Socket errors:.*/.exec(output);
  if (errors) throw new Error(`wrk saw ${errors[0]}:\n${output}`);
  return { requestsPerSecond: Number(rps[1]), p99Microseconds: Number(p99[1]) * TIME_UNITS[p99[2]!]! };
}

/** Throws {@link WRK_MISSING} unless wrk runs. */
export async function requireWrk(): Promise<void> {
  // wrk prints its usage and exits 1 when given no URL; only a missing binary is an error here.
  await promisify(execFile)("wrk", ["--version"]).catch((error: NodeJS.ErrnoException & { stdout?: string }) => {
    if (error.code === "ENOENT") throw new Error(WRK_MISSING);
  });
}

/** Loads `target` for `seconds` with one wrk thread and 16 connections; returns what wrk measured. */
export async function runWrk(target: LoadTarget, seconds = LOAD_RUN_SECONDS): Promise<LoadFigures> {
  const headers = target.headers.flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", ...headers, target.url];
  const run = await promisify(execFile)("wrk", args, { timeout: (seconds + 30) * 1000 }).catch(
    (error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`wrk on ${target.url} failed: ${error.stderr || error.stdout || error.message}`, {
        cause: error,
      });
    },
  );
  return parseWrk(run.stdout);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Both targets warmed up, then loaded in turn LOAD_ROUNDS times, the baseline first in even rounds and
 * second in odd ones (so neither always follows the other); the median of each figure. `load` runs
 * one load test (wrk unless given).
 */
export async function compareUnderLoad(
  candidate: LoadTarget,
  baseline: LoadTarget,
  load: (target: LoadTarget, seconds?: number) => Promise<LoadFigures> = runWrk,
): Promise<{ candidate: LoadFigures; baseline: LoadFigures }> {
  await load(baseline, WARM_UP_SECONDS);
  await load(candidate, WARM_UP_SECONDS);
  const runs: { candidate: LoadFigures[]; baseline: LoadFigures[] } = { candidate: [], baseline: [] };
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    if (round % 2 === 1) runs.candidate.push(await load(candidate));
    runs.baseline.push(await load(baseline));
    if (round % 2 === 0) runs.candidate.push(await load(candidate));
  }
  const reduce = (list: LoadFigures[]): LoadFigures => ({
    requestsPerSecond: median(list.map((f) => f.requestsPerSecond)),
    p99Microseconds: median(list.map((f) => f.p99Microseconds)),
  });
  return { candidate: reduce(runs.candidate), baseline: reduce(runs.baseline) };
}

/** `<name>.rps` (requests/s, candidate over baseline) and `<name>.p99` (us) from one comparison. */
export async function loadCases(name: string, candidate: LoadTarget, baseline: LoadTarget): Promise<Case[]> {
  const figures = await compareUnderLoad(candidate, baseline);
  return [
    ratioCase(`${name}.rps`, "requests/s", figures.candidate.requestsPerSecond, figures.baseline.requestsPerSecond),
    ratioCase(`${name}.p99`, "us", figures.candidate.p99Microseconds, figures.baseline.p99Microseconds),
  ];
}

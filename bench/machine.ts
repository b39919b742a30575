// Where and when a benchmark run measured its cases, written beside them in the results JSON so that
// the report describes the machine and revision of the run, not those of whoever renders it.

import { execFileSync } from "node:child_process";
import { availableParallelism, cpus } from "node:os";

/** The machine, Node version, time and source revision of one benchmark run. */
export interface RunInfo {
  cores: number;
  cpu: string;
  node: string;
  /** When the run ended, as an ISO 8601 UTC time. */
  date: string;
  /** The commit measured (short hash), with "+changes" when tracked files differed from it; null outside git. */
  commit: string | null;
}

// The short hash of HEAD, marked when tracked files have changes, or null when git cannot say.
function commit(): string | null {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: "pipe" }).trim();
    const changes = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
      stdio: "pipe",
    });
    return changes.trim() === "" ? head : `${head}+changes`;
  } catch {
    return null;
  }
}

/** This machine and revision, now. */
export function currentRun(): RunInfo {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    date: new Date().toISOString(),
    commit: commit(),
  };
}

/** One sentence on `run` for the report, or one saying the results do not record it. */
export function describeRun(run: RunInfo | undefined): string {
  if (!run) return "The results do not record the machine that measured them.";
  const revision = run.commit === null ? "" : ` at commit ${run.commit}`;
  return `Measured on ${run.date.slice(0, 10)}${revision}: ${run.cores} cores, ${run.cpu}, Node ${run.node}.`;
}

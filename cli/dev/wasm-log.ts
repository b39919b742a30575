// The filters' log lines as Envoy's `wasm` logger prints them (spdlog's level names), so the dev
// proxy's output reads like Envoy's: `[time][level][wasm] wasm log <name> <root_id> <vm_id>: <message>`.

import { LogLevel } from "../../harness/index.js";

/** Where the dev proxy's log lines go: one formatted line at a time. */
export type LogWriter = (line: string) => void;

const LEVEL_NAMES: Record<LogLevel, string> = {
  [LogLevel.Trace]: "trace",
  [LogLevel.Debug]: "debug",
  [LogLevel.Info]: "info",
  [LogLevel.Warn]: "warning",
  [LogLevel.Error]: "error",
  [LogLevel.Critical]: "critical",
  [LogLevel.Off]: "off",
};

/** A writer whose lines are written together later; `flush` writes those still waiting now. */
export type GatheredWriter = LogWriter & { flush(): void };

/**
 * A writer that gathers lines and hands them to `write` together, once per turn of the event loop
 * and when the process exits: a filter logging on every request costs one write per turn, not one
 * per line, and lines keep their order.
 */
export function gatheredWriter(write: (text: string) => void): GatheredWriter {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === "") return;
    const text = pending;
    pending = "";
    write(text);
  };
  let listening = false;
  const writer = (line: string) => {
    if (!listening) {
      process.once("exit", flush);
      listening = true;
    }
    pending += line + "\n";
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return Object.assign(writer, { flush });
}

// Made on first use, so importing this module leaves the process alone.
let standardError: GatheredWriter | null = null;

/** Writes lines to standard error, where Envoy writes its log by default, gathered per turn of the event loop. */
export const toStandardError: LogWriter = (line) => {
  standardError ??= gatheredWriter((text) => process.stderr.write(text));
  standardError(line);
};

/** Writes the lines toStandardError still holds, so that what follows on standard error comes after them. */
export function flushStandardError(): void {
  standardError?.flush();
}

/** The prefix Envoy gives a plugin's lines: its name, root id and VM id, empty ones left out. */
export function wasmLogPrefix(name: string, rootId: string, vmId: string): string {
  return `wasm log ${[name, rootId, vmId].filter(Boolean).join(" ")}: `;
}

// The last millisecond stamped, and its text: lines logged in the same millisecond share it.
let stampedAt = -1;
let stamp = "";

/** `text` as Envoy's `wasm` logger prints it at `level`, stamped with the current UTC time. */
export function wasmLogLine(level: LogLevel, text: string): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString().replace("T", " ").slice(0, 23);
  }
  return `[${stamp}][${LEVEL_NAMES[level]}][wasm] ${text}`;
}

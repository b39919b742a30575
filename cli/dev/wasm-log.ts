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

/** Writes each line to standard error, where Envoy writes its log by default. */
export const toStandardError: LogWriter = (line) => {
  process.stderr.write(line + "\n");
};

/** The prefix Envoy gives a plugin's lines: its name, root id and VM id, empty ones left out. */
export function wasmLogPrefix(name: string, rootId: string, vmId: string): string {
  return `wasm log ${[name, rootId, vmId].filter(Boolean).join(" ")}: `;
}

/** `text` as Envoy's `wasm` logger prints it at `level`, stamped with the current UTC time. */
export function wasmLogLine(level: LogLevel, text: string): string {
  const time = new Date().toISOString().replace("T", " ").slice(0, 23);
  return `[${time}][${LEVEL_NAMES[level]}][wasm] ${text}`;
}

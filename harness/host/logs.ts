// Log lines written by a module through proxy_log (and, later, WASI stdout/stderr), as Envoy's
// `wasm` logger receives them.

import { LogLevel } from "../abi/types.js";

/** One log line: its level, the guest's message and the identity Envoy prefixes it with. */
export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Which instance wrote it: Envoy's base instance (start function only), the canary, a worker VM, or the main thread's. */
  instance: "base" | "canary" | "worker" | "main";
  /** The thread of that instance: "base", "canary", "main" or "worker N" (N from 0, as in `newHttpStream(N)`). */
  thread: string;
}

/** Collects log lines and filters them by Envoy's current `wasm` log level. */
export class LogSink {
  readonly entries: LogEntry[] = [];

  constructor(public level: LogLevel = LogLevel.Info) {}

  /** Records `message` when `level` is at or above the sink's level. */
  write(level: LogLevel, message: string, instance: LogEntry["instance"], thread: string): void {
    if (level >= this.level) this.entries.push({ level, message, instance, thread });
  }
}

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

/**
 * Filters log lines by Envoy's current `wasm` log level, then keeps them in `entries`, or hands each
 * to `listener` when one is given (a long-running host then holds no lines).
 */
export class LogSink {
  readonly entries: LogEntry[] = [];

  constructor(
    public level: LogLevel = LogLevel.Info,
    private readonly listener: ((entry: LogEntry) => void) | null = null,
  ) {}

  /** Records `message` when `level` is at or above the sink's level. */
  write(level: LogLevel, message: string, instance: LogEntry["instance"], thread: string): void {
    if (level < this.level) return;
    const entry = { level, message, instance, thread };
    if (this.listener) this.listener(entry);
    else this.entries.push(entry);
  }
}

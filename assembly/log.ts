// Logging through Envoy's `wasm` logger ("wasm log <plugin> <root_id> <vm_id>: <message>").

import * as host from "./abi/hostcalls";
import { LogLevel } from "./types";

/** Logs `message` at `level`; callable from any callback, even during module start. */
export function log(level: LogLevel, message: string): void {
  host.log(level, message);
}

/** Logs at trace level. */
export function logTrace(message: string): void {
  host.log(LogLevel.Trace, message);
}

/** Logs at debug level. */
export function logDebug(message: string): void {
  host.log(LogLevel.Debug, message);
}

/** Logs at info level. */
export function logInfo(message: string): void {
  host.log(LogLevel.Info, message);
}

/** Logs at warn level. */
export function logWarn(message: string): void {
  host.log(LogLevel.Warn, message);
}

/** Logs at error level. */
export function logError(message: string): void {
  host.log(LogLevel.Error, message);
}

/** Logs at critical level. */
export function logCritical(message: string): void {
  host.log(LogLevel.Critical, message);
}

/** Returns the host's current log level, so a filter can skip building messages nobody will see. */
export function logLevel(): LogLevel {
  return host.getLogLevel();
}

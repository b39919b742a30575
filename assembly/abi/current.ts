// Which callback is running, so an impossible state can be reported with its callback and
// context (the abort handler below prints both through proxy_log before trapping).

import { log } from "./hostcalls";
import { LogLevel } from "../types";

let callbackName = "_initialize";
let callbackContextId: u32 = 0;

/** Records the callback being dispatched; called on entry to every dispatcher function. */
export function calling(name: string, contextId: u32): void {
  callbackName = name;
  callbackContextId = contextId;
}

function where(): string {
  return callbackName + " (context " + callbackContextId.toString() + ")";
}

/** Logs an impossible state at critical level with its callback and context, then traps. */
export function fatal(message: string): void {
  log(LogLevel.Critical, where() + ": " + message);
  unreachable();
}

/** The compiler's abort hook (`--use abort=`): logs the failure at critical level; the trap follows. */
export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const text = message == null ? "abort" : message;
  const file = fileName == null ? "?" : fileName;
  log(LogLevel.Critical, where() + ": " + text + " at " + file + ":" + line.toString() + ":" + column.toString());
}

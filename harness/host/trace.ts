// Trace mode: every host call a module makes, with its arguments, its result and the context it
// acted on, so a test or a benchmark can count host calls per request deterministically.

import { type GuestMemory, MemoryAccessError } from "./memory.js";
import { type ContextState } from "./vm.js";

/** One host call as the guest made it. */
export interface HostCall {
  /** Import name, e.g. "proxy_get_header_map_value". */
  name: string;
  /** Raw wasm arguments (pointers included). */
  args: (number | bigint)[];
  /** What the host returned (a Status or errno), or undefined for void functions. */
  result: number | undefined;
  /** The context the call acted on (the effective one), or 0 outside any context. */
  contextId: number;
  /**
   * The context object itself (an HttpStream, a TcpStream or a root's state), or null. Context
   * ids are per worker instance, so two workers' streams can share an id; the object cannot.
   */
  context: ContextState | null;
  /** The callback that was running, or "" while the module started. */
  callback: string;
  /**
   * For proxy_get_property and proxy_set_property, the path's segments as the guest passed them
   * (split at each NUL, decoded as UTF-8), e.g. ["response", "code"]; null when the path was
   * outside memory. Undefined for every other call.
   */
  path?: string[] | null;
}

const PATH_DECODER = new TextDecoder();

/** The segments of a property path of `size` bytes at `ptr` in `memory`, or null when outside it. */
export function tracedPath(memory: GuestMemory, ptr: number, size: number): string[] | null {
  try {
    return PATH_DECODER.decode(memory.read(ptr, size)).split("\0");
  } catch (error) {
    if (error instanceof MemoryAccessError) return null;
    throw error;
  }
}

/** A context to count calls for: its id (on any instance), or the stream itself (exactly). */
export type TraceTarget = number | { readonly id: number; readonly kind: string };

function matches(call: HostCall, target: TraceTarget): boolean {
  return typeof target === "number" ? call.contextId === target : call.context === target;
}

/** Records host calls; attach one to a plugin with the `trace` option. */
export class HostCallTrace {
  readonly calls: HostCall[] = [];

  /** Adds one call. */
  record(call: HostCall): void {
    this.calls.push(call);
  }

  /** How many calls were made on behalf of `target`: a context id, or a stream object. */
  countFor(target: TraceTarget): number {
    return this.calls.filter((c) => matches(c, target)).length;
  }

  /** Calls per import name, optionally only those made on behalf of `target`. */
  countsByName(target?: TraceTarget): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) {
      if (target === undefined || matches(call, target)) counts[call.name] = (counts[call.name] ?? 0) + 1;
    }
    return counts;
  }

  /** Forgets every recorded call. */
  clear(): void {
    this.calls.length = 0;
  }
}

// Trace mode: every host call a module makes, with its arguments, its result and the context it
// acted on, so a test or a benchmark can count host calls per request deterministically.

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
  /** The callback that was running, or "" while the module started. */
  callback: string;
}

/** Records host calls; attach one to a plugin with the `trace` option. */
export class HostCallTrace {
  readonly calls: HostCall[] = [];

  /** Adds one call. */
  record(call: HostCall): void {
    this.calls.push(call);
  }

  /** How many calls were made on behalf of context `contextId`. */
  countFor(contextId: number): number {
    return this.calls.filter((c) => c.contextId === contextId).length;
  }

  /** Calls per import name, optionally only those for context `contextId`. */
  countsByName(contextId?: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) {
      if (contextId === undefined || call.contextId === contextId) counts[call.name] = (counts[call.name] ?? 0) + 1;
    }
    return counts;
  }

  /** Forgets every recorded call. */
  clear(): void {
    this.calls.length = 0;
  }
}

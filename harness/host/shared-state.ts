// Process-wide shared data and shared queues (reference abi.md 3.6, 5.5), scoped by the vm_id
// string: every worker instance (and every plugin) with the same vm_id sees the same entries.

import { Status } from "../abi/types.js";
import { type RootState, type WasmVm } from "./vm.js";

/** One shared-data entry: its bytes and the cas of its last write. */
export interface SharedEntry {
  value: Uint8Array;
  cas: number;
}

/** Shared data with Envoy's CAS rules: a global cas counter from 1 and missing keys always created. */
export class SharedData {
  private readonly byVmId = new Map<string, Map<string, SharedEntry>>();
  private nextCas = 1;

  /** The entry `key` of `vmId`, or undefined when it was never set. */
  get(vmId: string, key: string): SharedEntry | undefined {
    return this.byVmId.get(vmId)?.get(key);
  }

  /**
   * Stores `value` under `key`: cas 0 writes unconditionally, a non-zero cas must match the stored
   * one (CasMismatch otherwise), and a missing key is created whatever the cas (abi.md 11).
   */
  set(vmId: string, key: string, value: Uint8Array, cas: number): Status {
    let entries = this.byVmId.get(vmId);
    if (!entries) {
      entries = new Map();
      this.byVmId.set(vmId, entries);
    }
    const existing = entries.get(key);
    if (existing && cas !== 0 && cas !== existing.cas) return Status.CasMismatch;
    entries.set(key, { value: value.slice(), cas: this.nextCas++ });
    return Status.Ok;
  }

  /** Every key of `vmId` with its entry, for test assertions. */
  entries(vmId: string): ReadonlyMap<string, SharedEntry> {
    return this.byVmId.get(vmId) ?? new Map();
  }
}

/** One shared queue: its items and the root context Envoy notifies (the last registrant). */
export interface SharedQueue {
  readonly token: number;
  readonly vmId: string;
  readonly name: string;
  readonly items: Uint8Array[];
  listener: { vm: WasmVm; root: RootState };
}

/** Shared queues keyed by (vm_id, name), with process-global tokens from 1. */
export class SharedQueues {
  private readonly byName = new Map<string, SharedQueue>();
  private readonly byToken = new Map<number, SharedQueue>();
  private nextToken = 1;

  /** Creates or reopens queue `name` of `vmId`; the registrant becomes the one notified, items are kept. */
  register(vmId: string, name: string, vm: WasmVm, root: RootState): number {
    const key = `${vmId}\0${name}`;
    const existing = this.byName.get(key);
    if (existing) {
      existing.listener = { vm, root };
      return existing.token;
    }
    const queue: SharedQueue = { token: this.nextToken++, vmId, name, items: [], listener: { vm, root } };
    this.byName.set(key, queue);
    this.byToken.set(queue.token, queue);
    return queue.token;
  }

  /** The token of queue `name` of `vmId`, or undefined when nobody registered it. */
  resolve(vmId: string, name: string): number | undefined {
    return this.byName.get(`${vmId}\0${name}`)?.token;
  }

  /** Queue `token`, or undefined when no such queue exists. */
  get(token: number): SharedQueue | undefined {
    return this.byToken.get(token);
  }
}

// The typed layer over the shared-data, shared-queue, metric and timer imports (reference abi.md
// 3.1, 3.6, 3.7): the only code of these areas that turns pointers into strings and buffers.

import * as abi from "./imports";
import { MetricType, Status } from "../types";
import { clearSlots, SLOT_A, SLOT_B, SLOT_C, takeBytes } from "./slots";

/** A shared-data value and the cas of its last write. */
export class SharedDataValue {
  constructor(
    /** The stored bytes (possibly empty: an empty value is still a value). */
    public readonly value: ArrayBuffer,
    /** Pass it to a compare-and-set to update only if nobody wrote in between. */
    public readonly cas: u32,
  ) {}

  /** The value decoded as UTF-8. */
  text(): string {
    return String.UTF8.decode(this.value);
  }
}

/** Reads shared-data `key` of this VM's vm_id, or null when it was never set. */
export function getSharedData(key: string): SharedDataValue | null {
  const keyBytes = String.UTF8.encode(key);
  clearSlots();
  const status = abi.proxy_get_shared_data(changetype<usize>(keyBytes), keyBytes.byteLength, SLOT_A, SLOT_B, SLOT_C);
  if (status != Status.Ok) return null;
  const cas = load<u32>(SLOT_C);
  return new SharedDataValue(takeBytes(), cas);
}

/** Writes shared-data `key`; a non-zero `cas` must match the stored one (CasMismatch otherwise). */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32): Status {
  const keyBytes = String.UTF8.encode(key);
  return <Status>(
    abi.proxy_set_shared_data(
      changetype<usize>(keyBytes),
      keyBytes.byteLength,
      changetype<usize>(value),
      value.byteLength,
      cas,
    )
  );
}

/** Creates or reopens shared queue `name` and makes the caller's root the one notified; returns its token. */
export function registerSharedQueue(name: string): u32 {
  const nameBytes = String.UTF8.encode(name);
  store<u32>(SLOT_A, 0);
  abi.proxy_register_shared_queue(changetype<usize>(nameBytes), nameBytes.byteLength, SLOT_A);
  return load<u32>(SLOT_A);
}

/** Finds shared queue `name` of `vmId` ("" = this VM's); 0 when nobody registered it. */
export function resolveSharedQueue(vmId: string, name: string): u32 {
  const vmIdBytes = String.UTF8.encode(vmId);
  const nameBytes = String.UTF8.encode(name);
  store<u32>(SLOT_A, 0);
  const status = abi.proxy_resolve_shared_queue(
    changetype<usize>(vmIdBytes),
    vmIdBytes.byteLength,
    changetype<usize>(nameBytes),
    nameBytes.byteLength,
    SLOT_A,
  );
  return status == Status.Ok ? load<u32>(SLOT_A) : 0;
}

/** Appends `data` to queue `token`; NotFound for an unknown queue. */
export function enqueueSharedQueue(token: u32, data: ArrayBuffer): Status {
  return <Status>abi.proxy_enqueue_shared_queue(token, changetype<usize>(data), data.byteLength);
}

/** Pops the oldest item of queue `token`, or null when it is empty (or unknown). */
export function dequeueSharedQueue(token: u32): ArrayBuffer | null {
  clearSlots();
  const status = abi.proxy_dequeue_shared_queue(token, SLOT_A, SLOT_B);
  if (status != Status.Ok) return null;
  return takeBytes();
}

/** Defines metric `name` of `type` and returns its id (0 when the host refused). */
export function defineMetric(type: MetricType, name: string): u32 {
  const nameBytes = String.UTF8.encode(name);
  store<u32>(SLOT_A, 0);
  const status = abi.proxy_define_metric(<u32>type, changetype<usize>(nameBytes), nameBytes.byteLength, SLOT_A);
  return status == Status.Ok ? load<u32>(SLOT_A) : 0;
}

/** Adds `offset` to a counter (must be > 0) or gauge (negative subtracts). */
export function incrementMetric(id: u32, offset: i64): Status {
  return <Status>abi.proxy_increment_metric(id, offset);
}

/** Adds to a counter, sets a gauge or records a histogram sample. */
export function recordMetric(id: u32, value: u64): Status {
  return <Status>abi.proxy_record_metric(id, value);
}

/** Reads a counter or gauge, or returns 0 for an unknown metric or a histogram. */
export function getMetric(id: u32): u64 {
  store<u64>(SLOT_A, 0);
  const status = abi.proxy_get_metric(id, SLOT_A);
  return status == Status.Ok ? load<u64>(SLOT_A) : 0;
}

/** Sets the tick period of the caller's root context (0 stops the timer). */
export function setTickPeriodMilliseconds(periodMs: u32): Status {
  return <Status>abi.proxy_set_tick_period_milliseconds(periodMs);
}

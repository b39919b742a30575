// Metrics (reference abi.md 3.7): ids are per instance (type + 4k), the stats behind them are
// process-wide `wasmcustom.<name>`; counters only grow, record adds to a counter, sets a gauge and
// samples a histogram.

import { MetricType, Status } from "../abi/types.js";
import { type HostFunction } from "./vm.js";

const n = (value: number | bigint) => Number(value) >>> 0;
const u64 = (value: number | bigint) => BigInt.asUintN(64, BigInt(value));
const i64 = (value: number | bigint) => BigInt.asIntN(64, BigInt(value));

export const metricCalls: Record<string, HostFunction> = {
  proxy_define_metric(vm, type, namePtr, nameSize, idPtr) {
    const name = vm.memory.readString(n(namePtr), n(nameSize));
    if (n(type) > MetricType.Histogram) return Status.BadArgument;
    const id = vm.newMetricId(n(type));
    vm.metricIds.set(id, vm.env.metrics.define(n(type), name));
    vm.memory.writeU32(n(idPtr), id);
    return Status.Ok;
  },
  // Envoy dispatches on the id's type bits before looking the id up, so a histogram id or an id
  // with type bits 3 is BadArgument even when unknown (seen in Envoy 1.40; abi.md 3.7 says NotFound).
  proxy_increment_metric(vm, id, offset) {
    const type = n(id) & 3;
    if (type !== MetricType.Counter && type !== MetricType.Gauge) return Status.BadArgument;
    const stat = vm.metricIds.get(n(id));
    if (!stat) return Status.NotFound;
    const delta = i64(offset);
    if (stat.type === MetricType.Counter && delta <= 0n) return Status.BadArgument;
    stat.value = BigInt.asUintN(64, stat.value + delta);
    return Status.Ok;
  },
  proxy_record_metric(vm, id, value) {
    const stat = vm.metricIds.get(n(id));
    if (!stat) return Status.NotFound;
    const sample = u64(value);
    if (stat.type === MetricType.Counter) stat.value = BigInt.asUintN(64, stat.value + sample);
    else if (stat.type === MetricType.Gauge) stat.value = sample;
    else stat.record(sample);
    return Status.Ok;
  },
  proxy_get_metric(vm, id, valuePtr) {
    const stat = vm.metricIds.get(n(id));
    if (!stat) return Status.NotFound;
    if (stat.type === MetricType.Histogram) return Status.BadArgument;
    vm.memory.writeU64(n(valuePtr), stat.value);
    return Status.Ok;
  },
};

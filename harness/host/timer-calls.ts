// The clock and the tick timer (reference abi.md 3.1): time comes from the host environment's
// clock; the tick period belongs to the caller's root context, is re-armed after every tick and
// restarts when changed.

import { Status } from "../abi/types.js";
import { type HostFunction, type RootState, rootOf, type WasmVm } from "./vm.js";

/** (Re)starts `root`'s tick timer with its current period, or stops it for period 0. */
export function armTick(vm: WasmVm, root: RootState): void {
  root.tick?.cancel();
  root.tick = null;
  if (root.tickPeriodMs <= 0) return;
  root.tick = vm.env.clock.schedule(root.tickPeriodMs, () => {
    root.tick = null;
    if (vm.deliverToRoot(root, "proxy_on_tick", [root.id])) armTick(vm, root);
  });
}

export const timerCalls: Record<string, HostFunction> = {
  proxy_get_current_time_nanoseconds(vm, timePtr) {
    vm.memory.writeU64(Number(timePtr) >>> 0, vm.env.clock.nanoseconds);
    return Status.Ok;
  },
  proxy_set_tick_period_milliseconds(vm, period) {
    const context = vm.context;
    if (!context) return Status.Ok;
    const root = rootOf(context);
    root.tickPeriodMs = Number(period) >>> 0;
    armTick(vm, root);
    return Status.Ok;
  },
};

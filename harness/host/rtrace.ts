// Leak tracing for AssemblyScript modules built with `ASC_RTRACE` (the `rtraced` target): the
// runtime reports every heap block it allocates and frees through `rtrace.*` imports. Envoy never
// provides that module, so the harness links it only for a plugin loaded with the `rtrace` option.

import { type WasmVm } from "./vm.js";

/** The `rtrace.*` functions AssemblyScript 0.28 may import, with their wasm types. */
export const RTRACE_FUNCTIONS: Record<string, string> = {
  oninit: "(i32)->",
  onalloc: "(i32)->",
  onresize: "(i32,i32)->",
  onmove: "(i32,i32)->",
  onfree: "(i32)->",
  onvisit: "(i32)->i32",
  oncollect: "(i32)->",
  oninterrupt: "(i32)->",
  onyield: "(i32)->",
  onstore: "(i32,i32,i32,i32)->i32",
};

interface InstanceBlocks {
  vm: () => WasmVm;
  live: Set<number>;
  allocations: number;
}

/** Counts the live heap blocks of every instance of a plugin; pass one as the plugin's `rtrace` option. */
export class RtraceCounter {
  private readonly instances: InstanceBlocks[] = [];

  /** The `rtrace` import functions for one new instance (called by the linker). */
  link(vm: () => WasmVm): Record<string, (...args: number[]) => number | void> {
    const blocks: InstanceBlocks = { vm, live: new Set(), allocations: 0 };
    this.instances.push(blocks);
    const ignore = () => undefined;
    return {
      oninit: ignore,
      onalloc: (block: number) => {
        blocks.live.add(block);
        blocks.allocations++;
      },
      onresize: ignore,
      onmove: ignore,
      onfree: (block: number) => {
        blocks.live.delete(block);
      },
      // A block the collector visits is always valid here; false would make it skip the block.
      onvisit: () => 1,
      oncollect: ignore,
      oninterrupt: ignore,
      onyield: ignore,
      onstore: (pointer: number) => pointer,
    };
  }

  /**
   * Live heap blocks (allocated and not yet freed) of the instances still in use: the main
   * thread's and the workers' (the canary excluded).
   */
  liveBlocks(): number {
    return this.serving().reduce((sum, blocks) => sum + blocks.live.size, 0);
  }

  /** Heap blocks ever allocated by the instances still serving. */
  allocations(): number {
    return this.serving().reduce((sum, blocks) => sum + blocks.allocations, 0);
  }

  /** Runs a full collection in every serving instance; the module must export `__collect` (`--exportRuntime`). */
  collect(): void {
    for (const blocks of this.serving()) {
      const collect = blocks.vm().instance.exports["__collect"];
      if (typeof collect !== "function")
        throw new Error("the module does not export __collect (build it with --exportRuntime)");
      (collect as () => void)();
    }
  }

  private serving(): InstanceBlocks[] {
    return this.instances.filter((blocks) => !blocks.vm().discarded);
  }
}

// Plugins sharing one Wasm instance (reference abi.md 8.1, 8.2): the same vm_id, VM configuration
// and code share an instance per thread (the main thread's and each worker's) in one environment,
// each plugin with its own root context (ids from one counter) chosen by root_id; singletons run on
// the main thread without streams.

import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import { get } from "./support.js";

const builds = ["build/fixtures/chain.wasm", "build/fixtures/chain.debug.wasm"];

/** The vm_start lines of `plugin`, each tagged with the instance that wrote it. */
function starts(plugin: Plugin): string[] {
  return plugin.logs.filter((e) => e.message.includes("vm_start")).map((e) => `${e.instance}: ${e.message}`);
}

describe.each(builds)("shared instances (%s)", (wasm) => {
  it("gives plugins with the same VM key one instance per thread, a root each and one id counter (abi.md 8.2)", async () => {
    const environment = new HostEnvironment();
    const a = await Plugin.load(wasm, { environment, vmId: "shared", configuration: { tag: "a" } });
    const b = await Plugin.load(wasm, { environment, vmId: "shared", rootId: "other" });
    expect(a.rootContextId()).toBe(1);
    expect(b.rootContextId()).toBe(2);
    expect(starts(a)).toEqual([
      "canary: chain vm_start root=1",
      "main: chain vm_start root=1",
      "worker: chain vm_start root=1",
    ]);
    // b's canary is an instance of its own; on the main thread and the worker it joins a's.
    expect(starts(b)).toEqual([
      "canary: other vm_start root=1",
      "main: other vm_start root=2",
      "worker: other vm_start root=2",
    ]);
    expect(a.newHttpStream().id).toBe(3);
    expect(b.newHttpStream().id).toBe(4);
  });

  it("keeps plugins apart when the vm_id or the VM configuration differs (abi.md 8.2)", async () => {
    const environment = new HostEnvironment();
    const a = await Plugin.load(wasm, { environment, vmId: "one" });
    const b = await Plugin.load(wasm, { environment, vmId: "two" });
    const c = await Plugin.load(wasm, { environment, vmId: "one", vmConfiguration: "different" });
    expect([a.rootContextId(), b.rootContextId(), c.rootContextId()]).toEqual([1, 1, 1]);
  });

  it("routes each stream's log lines to its own plugin on a shared instance", async () => {
    const environment = new HostEnvironment();
    const a = await Plugin.load(wasm, { environment, configuration: { tag: "a" } });
    const b = await Plugin.load(wasm, { environment, configuration: { tag: "b" } });
    b.newHttpStream().sendRequestHeaders(get(), true);
    expect(a.logMessages().some((m) => m.startsWith("b request_headers"))).toBe(false);
    expect(b.logMessages().filter((m) => m.startsWith("b request_headers"))).toHaveLength(1);
  });

  it("runs a singleton on the main thread with a root context and no streams", async () => {
    const plugin = await Plugin.load(wasm, { singleton: true, workers: 3 });
    expect(plugin.workerCount).toBe(1);
    expect(plugin.logs.map((e) => [e.instance, e.message])).toEqual([
      ["canary", "chain vm_start root=1"],
      ["main", "chain vm_start root=1"],
    ]);
    expect(() => plugin.newHttpStream()).toThrow(/singleton/);
  });

  it("runs a singleton in the main thread's instance of its VM key, apart from the workers'", async () => {
    const environment = new HostEnvironment();
    const filter = await Plugin.load(wasm, { environment });
    const singleton = await Plugin.load(wasm, { environment, singleton: true });
    // The filter's main-thread root is context 1 of that instance, so the singleton's is 2.
    expect([filter.rootContextId(), singleton.rootContextId()]).toEqual([1, 2]);
    expect(filter.newHttpStream().id).toBe(2);
  });
});

// Plugins sharing one Wasm instance (reference abi.md 8.1, 8.2): the same vm_id, VM configuration
// and code share an instance per worker in one environment, each plugin with its own root context
// (ids from one counter) chosen by root_id; singletons run on the main thread without streams.

import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import { get } from "./support.js";

const builds = ["build/fixtures/chain.wasm", "build/fixtures/chain.debug.wasm"];

describe.each(builds)("shared instances (%s)", (wasm) => {
  it("gives plugins with the same VM key one worker instance, a root each and one id counter (abi.md 8.2)", async () => {
    const environment = new HostEnvironment();
    const a = await Plugin.load(wasm, { environment, vmId: "shared", configuration: { tag: "a" } });
    const b = await Plugin.load(wasm, { environment, vmId: "shared", rootId: "other" });
    expect(a.rootContextId()).toBe(1);
    expect(b.rootContextId()).toBe(2);
    expect(a.logMessages().filter((m) => m.includes("vm_start"))).toEqual([
      "chain vm_start root=1",
      "chain vm_start root=1",
    ]);
    expect(b.logMessages().filter((m) => m.includes("vm_start"))).toEqual([
      "other vm_start root=1",
      "other vm_start root=2",
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

  it("keeps a singleton's instance apart from the workers' of the same VM key", async () => {
    const environment = new HostEnvironment();
    const worker = await Plugin.load(wasm, { environment });
    const singleton = await Plugin.load(wasm, { environment, singleton: true });
    expect([worker.rootContextId(), singleton.rootContextId()]).toEqual([1, 1]);
  });
});

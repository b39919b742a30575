// Shared data and shared queues across instances (reference abi.md 3.6, 5.5, 11), through the
// shared fixture with two workers in one host environment. Each instance takes an index at start:
// the canary 1, the main thread's instance 2, then the workers 3, 4...

import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin, Status } from "../../harness/index.js";
import { fixtureBuilds, get, messages } from "./support.js";

const builds = fixtureBuilds("shared");

function run(plugin: Plugin, action: string, worker = 0): void {
  plugin.newHttpStream(worker).sendRequestHeaders(get([["x-shared", action]]), true);
}

describe.each(builds)("shared data and queues (%s)", (wasm) => {
  it("gives every instance (canary and main thread included) its own index through a CAS loop on shared data (abi.md 5.5)", async () => {
    const plugin = await Plugin.load(wasm, { workers: 2 });
    const indexes = plugin.logs.filter((e) => e.message.startsWith("worker index"));
    expect(indexes.map((e) => [e.thread, e.message])).toEqual([
      ["canary", "worker index=1"],
      ["main", "worker index=2"],
      ["worker 0", "worker index=3"],
      ["worker 1", "worker index=4"],
    ]);
    expect(plugin.workerCount).toBe(2);
    expect([plugin.rootContextId(0), plugin.rootContextId(1)]).toEqual([1, 1]);
  });

  it("shares data between two workers with a global cas counter from 1 (abi.md 2, 3.6)", async () => {
    const environment = new HostEnvironment();
    const plugin = await Plugin.load(wasm, { workers: 2, environment });
    run(plugin, "set:color=red", 0);
    run(plugin, "get:color", 1);
    const cas = environment.sharedData.get("", "color")!.cas;
    expect(cas).toBe(5);
    expect(messages(plugin, "worker=4")).toEqual([`worker=4 get red cas=${cas}`]);
  });

  it("returns CasMismatch for a stale cas and accepts the current one (abi.md 3.6)", async () => {
    const environment = new HostEnvironment();
    const plugin = await Plugin.load(wasm, { environment });
    run(plugin, "set:k=v1");
    const cas = environment.sharedData.get("", "k")!.cas;
    run(plugin, "set:k=v2");
    run(plugin, `cas:k=v3@${cas}`);
    run(plugin, `cas:k=v4@${cas + 1}`);
    expect(messages(plugin, "worker=3 cas")).toEqual([
      `worker=3 cas status=${Status.CasMismatch}`,
      "worker=3 cas status=0",
    ]);
    expect(new TextDecoder().decode(environment.sharedData.get("", "k")!.value)).toBe("v4");
  });

  it("creates a missing key even with a non-zero cas (abi.md 11)", async () => {
    const environment = new HostEnvironment();
    const plugin = await Plugin.load(wasm, { environment });
    run(plugin, "cas:fresh=new@77");
    run(plugin, "get:fresh");
    expect(messages(plugin, "worker=3")).toEqual([
      "worker=3 cas status=0",
      expect.stringMatching(/^worker=3 get new cas=\d+$/),
    ]);
  });

  it("creates a key only while it is missing with createSharedData, whose cas Envoy never issues", async () => {
    const environment = new HostEnvironment();
    const plugin = await Plugin.load(wasm, { environment });
    run(plugin, "create:once=first");
    run(plugin, "create:once=second");
    run(plugin, "get:once");
    expect(messages(plugin, "worker=3")).toEqual([
      "worker=3 create status=0",
      `worker=3 create status=${Status.CasMismatch}`,
      expect.stringMatching(/^worker=3 get first cas=\d+$/),
    ]);
  });

  it("answers null for a missing key (NotFound)", async () => {
    const plugin = await Plugin.load(wasm);
    run(plugin, "get:absent");
    expect(messages(plugin, "worker=3 get")).toEqual(["worker=3 get null"]);
  });

  it("scopes shared data by vm_id across plugins of one environment (abi.md 5.5)", async () => {
    const environment = new HostEnvironment();
    const a = await Plugin.load(wasm, { environment, vmId: "a" });
    const b = await Plugin.load(wasm, { environment, vmId: "b" });
    const a2 = await Plugin.load(wasm, { environment, vmId: "a" });
    run(a, "set:x=from-a");
    run(b, "get:x");
    run(a2, "get:x");
    expect(messages(b, "worker=3 get")).toEqual(["worker=3 get null"]);
    // a2's canary takes index 4; its main thread's and worker's roots (in a's instances) 5 and 6.
    expect(messages(a2, "worker=6 get")[0]).toMatch(/^worker=6 get from-a cas=/);
  });

  it("notifies the last registrant's root when a worker enqueues, and dequeues in order (abi.md 3.6)", async () => {
    const plugin = await Plugin.load(wasm, { workers: 2 });
    // The main thread registers before the workers, so the last worker owns the notifications.
    const registered = plugin.logs.filter((e) => e.message.startsWith("registered"));
    expect(registered.map((e) => [e.thread, e.message])).toEqual([
      ["canary", "registered worker=1 token=1"],
      ["main", "registered worker=2 token=1"],
      ["worker 0", "registered worker=3 token=1"],
      ["worker 1", "registered worker=4 token=1"],
    ]);
    run(plugin, "enqueue:one", 0);
    run(plugin, "enqueue:two", 0);
    expect(messages(plugin, "worker=3 enqueue")).toEqual(["worker=3 enqueue status=0", "worker=3 enqueue status=0"]);
    const ready = plugin.logs.filter((e) => e.message.startsWith("queue_ready"));
    expect(ready.map((e) => [e.thread, e.message])).toEqual([
      ["worker 1", "queue_ready worker=4 item=one"],
      ["worker 1", "queue_ready worker=4 item=two"],
    ]);
  });

  it("moves notifications to a worker that registers again, keeping items", async () => {
    const plugin = await Plugin.load(wasm, { workers: 2 });
    run(plugin, "register:events", 0);
    run(plugin, "enqueue:three", 1);
    expect(messages(plugin, "queue_ready")).toEqual(["queue_ready worker=3 item=three"]);
  });

  it("returns Empty on an empty queue, NotFound for unknown queues and vm_ids (abi.md 3.6)", async () => {
    const plugin = await Plugin.load(wasm, { vmId: "mine" });
    run(plugin, "dequeue:1");
    run(plugin, "resolve:mine");
    run(plugin, "resolve:other");
    run(plugin, "enqueue-stale");
    expect(messages(plugin, "worker=3")).toEqual([
      "worker=3 dequeue empty",
      "worker=3 resolve 1",
      "worker=3 resolve null",
      `worker=3 enqueue status=${Status.NotFound}`,
    ]);
  });
});

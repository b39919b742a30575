// The SDK's callout handlers (assembly/callouts.ts, assembly/grpc.ts): answers arrive on the root,
// the dispatcher switches back to the stream that made the call before the handler runs
// (reference abi.md 6.4, 10 gotcha 12).

import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";

const builds = ["build/fixtures/callouts.wasm", "build/fixtures/callouts.debug.wasm"];

function request(action: string): [string, string][] {
  return [
    [":method", "GET"],
    [":path", "/"],
    [":authority", "example.test"],
    ["x-callout", action],
  ];
}

describe.each(builds)("callout handlers (%s)", (wasm) => {
  it("routes each answer to the stream that made the call, whatever the answering order", async () => {
    const environment = new HostEnvironment({ clusters: ["auth", "grpc-backend"] });
    const plugin = await Plugin.load(wasm, { environment });
    const first = plugin.newHttpStream();
    const second = plugin.newHttpStream();
    first.sendRequestHeaders(request("http"), true);
    second.sendRequestHeaders(request("grpc"), true);
    const [http] = plugin.httpCalls;
    const [grpc] = plugin.grpcCalls;
    grpc!.respond("ok");
    http!.respond({ headers: [[":status", "403"]] });
    expect(second.paused.request).toBe(false);
    expect(second.localReply).toBeNull();
    expect(first.localReply?.status).toBe(403);
    const contexts = plugin.logMessages().filter((m) => /_response context=/.test(m));
    expect(contexts.map((m) => m.split(" ")[1])).toEqual([`context=${second.id}`, `context=${first.id}`]);
  });

  it("drops a gRPC answer for a stream that is gone, without trapping", async () => {
    const environment = new HostEnvironment({ clusters: ["grpc-backend"] });
    const plugin = await Plugin.load(wasm, { environment });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request("grpc"), true);
    stream.complete();
    plugin.grpcCalls[0]!.respond("late");
    expect(plugin.logMessages().filter((m) => m.startsWith("grpc_response"))).toEqual([]);
    expect(plugin.trap).toBeNull();
  });
});

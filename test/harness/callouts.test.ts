// HTTP and gRPC callouts as Envoy runs them (reference abi.md 3.5, 4.5, 6.4), exercised through the
// callouts fixture: root delivery, argument checks, tokens, failures and timeouts.

import { describe, expect, it } from "vitest";
import { GrpcStatus, HostEnvironment, Plugin, Status } from "../../harness/index.js";
import { fixtureBuilds, get, messages } from "./support.js";

const builds = fixtureBuilds("callouts");

/** The lines starting with `prefix`, each tagged with the instance that wrote it. */
function tagged(plugin: Plugin, prefix: string): string[] {
  return plugin.logs.filter((e) => e.message.startsWith(prefix)).map((e) => `${e.instance}: ${e.message}`);
}

function load(wasm: string, configuration: object = {}) {
  const environment = new HostEnvironment({ clusters: ["auth", "grpc-backend"] });
  return Plugin.load(wasm, { configuration, environment });
}

describe.each(builds)("HTTP callouts (%s)", (wasm) => {
  it("records the call with cluster, headers (content-length added), body, trailers and timeout", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      get([
        ["x-callout", "http"],
        ["x-user", "ann"],
        ["x-timeout", "250"],
      ]),
      true,
    );
    const [call] = plugin.httpCalls;
    expect(call).toMatchObject({ cluster: "auth", token: 4, timeoutMs: 250, rootId: 1 });
    expect(call!.header(":path")).toBe("/check");
    expect(call!.header("x-user")).toBe("ann");
    expect(call!.header("content-length")).toBe("8");
    expect(new TextDecoder().decode(call!.body)).toBe("check me");
    expect(call!.trailers).toEqual([["x-sum", "1"]]);
    expect(messages(plugin, "http_call")).toEqual(["http_call status=0 token=4"]);
  });

  it("hands out HTTP tokens 4, 8, 12 per worker instance (abi.md 2)", async () => {
    const plugin = await load(wasm);
    for (let i = 0; i < 3; i++) plugin.newHttpStream().sendRequestHeaders(get([["x-callout", "http"]]), true);
    expect(plugin.httpCalls.map((c) => c.token)).toEqual([4, 8, 12]);
  });

  it("delivers the response to the root context and the handler resumes the stream (abi.md 4.5, 6.4)", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "http"]]), true);
    expect(stream.paused.request).toBe(true);
    plugin.httpCalls[0]!.respond({
      headers: [
        [":status", "200"],
        ["x-user", "user-7"],
      ],
      body: "ok",
      trailers: [["x-t", "1"]],
    });
    expect(messages(plugin, "http_response")).toEqual([
      `http_response context=${stream.id} failed=false status=200 timed_out=false body=ok trailers=x-t=1 message=`,
    ]);
    expect(stream.paused.request).toBe(false);
    expect(stream.requestHeaders!.get("x-auth-user")).toBe("user-7");
    expect(plugin.httpCalls).toEqual([]);
  });

  it("lets the handler reply locally on the originating stream", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "http"]]), true);
    plugin.httpCalls[0]!.respond({ headers: [[":status", "401"]], body: "nope" });
    expect(stream.localReply).toMatchObject({ status: 403, details: "auth_denied" });
  });

  it('reports a failure as (0, 0, 0) with proxy_get_status (11, "reset") (abi.md 3.5)', async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "http"]]), true);
    plugin.httpCalls[0]!.fail();
    expect(messages(plugin, "http_response")).toEqual([
      `http_response context=${stream.id} failed=true status=0 timed_out=false body= trailers= message=reset`,
    ]);
    expect(stream.localReply?.status).toBe(503);
  });

  it("answers an expired timeout with the router's 504 response, driven by the clock (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      get([
        ["x-callout", "http"],
        ["x-timeout", "100"],
      ]),
      true,
    );
    plugin.environment.clock.advance(99);
    expect(plugin.httpCalls).toHaveLength(1);
    plugin.environment.clock.advance(1);
    expect(plugin.httpCalls).toEqual([]);
    expect(messages(plugin, "http_response")).toEqual([
      `http_response context=${stream.id} failed=false status=504 timed_out=true body=upstream request timeout trailers= message=`,
    ]);
  });

  it("returns BadArgument for an unknown cluster (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(
      get([
        ["x-callout", "http"],
        ["x-cluster", "nowhere"],
      ]),
      true,
    );
    expect(messages(plugin, "http_call")).toEqual([`http_call status=${Status.BadArgument} token=0`]);
  });

  it("returns BadArgument without :authority (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(get([["x-callout", "http-no-authority"]]), true);
    expect(messages(plugin, "http_call")).toEqual([`http_call status=${Status.BadArgument} token=0`]);
  });

  it("returns BadArgument for a timeout of 2^31 ms or more (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(get([["x-callout", "http-timeout-too-large"]]), true);
    expect(messages(plugin, "http_call")).toEqual([`http_call status=${Status.BadArgument} token=0`]);
  });

  it("calls proxy_on_http_call_response with the root id and the call's maps readable only there (abi.md 4.5, 3.2)", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "raw"]]), true);
    plugin.httpCalls[0]!.respond({ headers: [[":status", "202"]], body: "abc" });
    expect(messages(plugin, "raw_")).toEqual([
      "raw_call status=0 token=4",
      "raw_response root=1 context=1 token=4 headers=1 body=3 status=202 names=:status",
    ]);
    plugin.newHttpStream().sendRequestHeaders(get([["x-callout", "read-call-map"]]), true);
    expect(messages(plugin, "call_map")).toEqual(["call_map status=null"]);
  });

  it("drops the answer for a stream that was deleted before it arrived (abi.md 10, gotcha 12)", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "http"]]), true);
    stream.complete();
    plugin.httpCalls[0]!.respond({ headers: [[":status", "200"]] });
    expect(messages(plugin, "stream_deleted")).toEqual([`stream_deleted ${stream.id}`]);
    expect(messages(plugin, "http_response")).toEqual([]);
    expect(plugin.trap).toBeNull();
  });

  it("issues calls from a root callback, on the main thread's root and the worker's, and answers them on the root", async () => {
    const plugin = await load(wasm, { tick_ms: 10 });
    plugin.environment.clock.advance(10);
    expect(tagged(plugin, "root_call")).toEqual([
      "main: root_call status=0 token=4",
      "worker: root_call status=0 token=4",
    ]);
    plugin.httpCalls[0]!.respond({ headers: [[":status", "200"]] });
    expect(tagged(plugin, "root_response")).toEqual(["worker: root_response context=1 status=200"]);
  });
});

describe.each(builds)("gRPC callouts (%s)", (wasm) => {
  it("records a unary call with tokens 5, 9... and answers it through on_grpc_receive (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "grpc"]]), true);
    const [call] = plugin.grpcCalls;
    expect(call).toMatchObject({
      token: 5,
      kind: "call",
      cluster: "grpc-backend",
      service: "pkg.Auth",
      method: "Check",
    });
    expect(call!.initialMetadata).toEqual([["x-trace", "t1"]]);
    expect(new TextDecoder().decode(call!.messages[0])).toBe("ping");
    call!.respond("pong");
    expect(messages(plugin, "grpc_response")).toEqual([
      `grpc_response context=${stream.id} status=0 message= body=pong`,
    ]);
    expect(stream.paused.request).toBe(false);
  });

  it("reports a unary failure through on_grpc_close with proxy_get_status carrying the message", async () => {
    const plugin = await load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-callout", "grpc"]]), true);
    plugin.grpcCalls[0]!.close(GrpcStatus.PermissionDenied, "no way");
    expect(messages(plugin, "grpc_response")).toEqual([
      `grpc_response context=${stream.id} status=7 message=no way body=`,
    ]);
    expect(stream.localReply).toMatchObject({ status: 503, grpcStatus: 14 });
  });

  it("closes a unary call whose timeout expires with Unavailable, as the router's 504 maps to gRPC", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(
      get([
        ["x-callout", "grpc"],
        ["x-timeout", "50"],
      ]),
      true,
    );
    plugin.environment.clock.advance(50);
    expect(messages(plugin, "grpc_response")[0]).toMatch(/status=14 message=upstream request timeout/);
  });

  it("returns ParseFailure for an unknown cluster (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(
      get([
        ["x-callout", "grpc"],
        ["x-cluster", "nowhere"],
      ]),
      true,
    );
    expect(messages(plugin, "grpc_call")).toEqual([`grpc_call status=${Status.ParseFailure} token=0`]);
  });

  it("cancels a call (then NotFound), refuses send to a call token and cancel of an HTTP token (abi.md 3.5)", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(get([["x-callout", "grpc-cancel"]]), true);
    expect(messages(plugin, "grpc_")).toEqual([
      "grpc_cancel status=0",
      "grpc_cancel_again status=1",
      "grpc_send_to_call status=2",
      "grpc_cancel_http_token status=2",
    ]);
    expect(plugin.grpcCalls).toEqual([]);
  });

  it("forgets a unary call closed by the guest", async () => {
    const plugin = await load(wasm);
    plugin.newHttpStream().sendRequestHeaders(get([["x-callout", "grpc-close-call"]]), true);
    expect(messages(plugin, "grpc_close")).toEqual(["grpc_close status=0"]);
    expect(plugin.grpcCalls).toEqual([]);
  });

  it("runs a stream: tokens 6, 10..., metadata, messages, half-close and remote close", async () => {
    const plugin = await load(wasm, { tick_ms: 10 });
    plugin.environment.clock.advance(20);
    // The main thread's root ticks too and opens its own stream; the test drives the worker's.
    expect(tagged(plugin, "stream_")).toEqual([
      "main: stream_open status=0 token=6",
      "main: stream_send status=0",
      "worker: stream_open status=0 token=6",
      "worker: stream_send status=0",
    ]);
    const stream = plugin.grpcCalls[0]!;
    expect(stream).toMatchObject({ kind: "stream", service: "pkg.Watch", method: "Stream", localClosed: false });
    expect(stream.initialMetadata).toEqual([["x-md", "1"]]);
    stream.sendInitialMetadata([["x-server", "s1"]]);
    stream.sendMessage("event-1");
    stream.sendMessage("bye");
    expect(stream.localClosed).toBe(true);
    stream.sendTrailingMetadata([["grpc-status", "0"]]);
    stream.close(GrpcStatus.Ok, "");
    expect(messages(plugin, "stream_").slice(4)).toEqual([
      "stream_initial_metadata token=6 x-server=s1",
      "stream_message event-1",
      "stream_message bye",
      "stream_close status=0",
      "stream_trailing_metadata grpc-status=0",
      "stream_closed status=0 message=",
    ]);
    expect(new TextDecoder().decode(stream.messages[0])).toBe("hello");
  });
});

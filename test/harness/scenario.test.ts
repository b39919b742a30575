// The scenario runner: every example under test/scenarios/ runs (release and debug builds of a
// fixture module; a hand-written module under test/scenarios/modules/ as it is) and key transcript
// fields are checked; the examples validate against the schema; bad
// scenarios fail with the JSON path of the problem, in the parser and in the schema alike.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ModuleLoadError } from "../../harness/index.js";
import {
  parseScenario,
  readScenarioFile,
  runScenario,
  ScenarioError,
  type StepReport,
  type Transcript,
} from "../../harness/scenario.js";
import wabt from "wabt";
import { MODULE_BASICS, wat } from "../support/wat.js";

const DIR = "test/scenarios";
const examples = readdirSync(DIR).filter((f) => f.endsWith(".json"));
const schema = JSON.parse(readFileSync("harness/scenario.schema.json", "utf8"));
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);

const messages = (step: StepReport) => step.logs.map((l) => l.message);
const tagged = (logs: StepReport["logs"]) => logs.map((l) => `${l.thread}: ${l.message}`);
const header = (headers: [string, string][] | null, name: string) => headers?.find(([k]) => k === name)?.[1];

// What each example must show, by file name.
const checks: Record<string, (t: Transcript) => void> = {
  "request-headers.json": (t) => {
    const [step] = t.steps;
    expect(step!.status).toBe("Continue");
    const upstream = step!.streams["main"]!.upstream;
    expect(header(upstream.headers, "x-tenant")).toBe("acme");
    expect(header(upstream.headers, "x-debug")).toBeUndefined();
    expect(t.host_calls["main"]).toEqual({ proxy_replace_header_map_value: 1, proxy_remove_header_map_value: 1 });
  },
  "response-headers.json": (t) => {
    const client = t.steps[1]!.streams["main"]!.client;
    expect(header(client.headers, "cache-control")).toBe("private,no-store");
    expect(client.end_of_stream).toBe(true);
    expect(t.steps[1]!.streams["main"]!.completed).toBe(true);
  },
  "request-body.json": (t) => {
    expect(t.steps[1]!.streams["main"]!.upstream.body).toBe("");
    expect(t.steps[2]!.streams["main"]!.upstream).toMatchObject({ body: "HELLO WORLD", end_of_stream: true });
    expect(messages(t.steps[2]!)).toContain("whole hello world");
  },
  "response-body.json": (t) => {
    expect(t.steps[1]!.streams["main"]!.upstream.body_base64).toBe("/wA=");
    expect(t.steps[3]!.streams["main"]!.client.body).toBe("");
    expect(t.steps[4]!.streams["main"]!.client).toMatchObject({ body: "OK, DONE", end_of_stream: true });
  },
  "request-trailers.json": (t) => {
    expect(t.steps[2]!.streams["main"]!.upstream).toMatchObject({
      body: "data",
      trailers: [["x-t", "changed"]],
      end_of_stream: true,
    });
  },
  "response-trailers.json": (t) => {
    const last = t.steps[3]!.streams["main"]!;
    expect(last.client.trailers).toEqual([["x-t", "v"]]);
    expect(last.callbacks).toEqual(["proxy_on_response_trailers", "proxy_on_log", "proxy_on_done", "proxy_on_delete"]);
  },
  "complete.json": (t) => {
    expect(t.steps[1]!.streams["main"]).toMatchObject({
      completed: true,
      callbacks: ["proxy_on_log", "proxy_on_done", "proxy_on_delete"],
    });
    expect(messages(t.steps[1]!)).toEqual(["log"]);
  },
  "http-call-response.json": (t) => {
    expect(t.steps[0]!.callouts).toMatchObject([{ type: "http", cluster: "auth", body: "check me" }]);
    expect(t.steps[1]!.callouts).toMatchObject([{ type: "http", cluster: "auth-eu" }]);
    expect(t.steps[2]!.call).toEqual({ type: "http", token: 8, cluster: "auth-eu" });
    expect(Object.keys(t.steps[2]!.streams)).toEqual(["bob"]);
    expect(header(t.steps[2]!.streams["bob"]!.upstream.headers, "x-auth-user")).toBe("bob@eu");
    expect(header(t.steps[3]!.streams["alice"]!.upstream.headers, "x-auth-user")).toBe("alice");
    expect(t.steps[3]!.host_calls["(root)"]).toBe(1);
  },
  "http-call-failure.json": (t) => {
    expect(t.steps[1]!.streams["main"]!.local_reply).toMatchObject({ status: 503, body: "callout failed: reset" });
    expect(header(t.steps[1]!.streams["main"]!.client.headers, ":status")).toBe("503");
  },
  "http-call-reset.json": (t) => {
    expect(messages(t.steps[1]!)[0]).toContain("failed=false status=503 timed_out=false");
    expect(t.steps[1]!.streams["main"]!.local_reply).toMatchObject({
      status: 403,
      body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
    });
  },
  "http-call-timeout.json": (t) => {
    expect(t.steps[1]!.advanced_ms).toBe(250);
    expect(messages(t.steps[1]!)[0]).toContain("status=504 timed_out=true");
    expect(t.steps[1]!.streams["main"]!.local_reply).toMatchObject({ status: 403, body: "upstream request timeout" });
  },
  "grpc-response.json": (t) => {
    expect(t.steps[0]!.callouts).toMatchObject([{ type: "grpc", kind: "call", service: "pkg.Auth", method: "Check" }]);
    expect(messages(t.steps[1]!)).toEqual(["grpc_response context=2 status=0 message= body=pong"]);
    expect(t.steps[1]!.streams["main"]!.upstream.end_of_stream).toBe(true);
  },
  "grpc-close.json": (t) => {
    expect(t.steps[1]!.streams["main"]!.local_reply).toMatchObject({ status: 503, grpc_status: 14 });
  },
  "grpc-timeout.json": (t) => {
    expect(t.steps[1]!.advanced_ms).toBe(100);
    expect(messages(t.steps[1]!)[0]).toBe("grpc_response context=2 status=14 message=upstream request timeout body=");
  },
  "grpc-initial-metadata.json": (t) => {
    // The main thread's root ticks too, so it makes the same two calls as the worker's.
    expect(t.steps[0]!.callouts.map((c) => `${c.type} ${"thread" in c ? c.thread : ""}`)).toEqual([
      "http worker 0",
      "http main",
      "grpc worker 0",
      "grpc main",
    ]);
    expect(messages(t.steps[1]!)).toEqual(["stream_initial_metadata token=6 x-server=s1"]);
  },
  "grpc-message.json": (t) => {
    expect(t.steps[0]!.callouts[2]).toMatchObject({
      kind: "stream",
      thread: "worker 0",
      messages: [{ message: "hello" }],
    });
    expect(messages(t.steps[2]!)).toEqual(["stream_message bye", "stream_close status=0"]);
  },
  "grpc-trailing-metadata.json": (t) => {
    expect(messages(t.steps[1]!)).toEqual(["stream_trailing_metadata x-done=yes"]);
    expect(messages(t.steps[2]!)).toEqual(["stream_closed status=0 message="]);
  },
  "advance-clock.json": (t) => {
    expect(tagged(t.steps[0]!.logs)).toEqual([
      "main: tick 1 at_ms=1704067200100",
      "worker 0: tick 1 at_ms=1704067200100",
      "main: tick 2 at_ms=1704067200200",
      "worker 0: tick 2 at_ms=1704067200200",
      "main: tick 3 at_ms=1704067200300",
      "worker 0: tick 3 at_ms=1704067200300",
    ]);
  },
  "shutdown.json": (t) => {
    expect(t.plugin.workers).toBe(2);
    expect(tagged(t.steps[0]!.logs)).toEqual([
      "main: root done async=false",
      "main: root delete",
      "worker 0: root done async=false",
      "worker 0: root delete",
      "worker 1: root done async=false",
      "worker 1: root delete",
    ]);
  },
  "properties.json": (t) => {
    expect(messages(t.steps[0]!)[0]).toBe('request str:source/address = "10.0.0.7:5555"');
    expect(messages(t.steps[1]!)[0]).toBe('request str:source/address = "192.0.2.1:40000"');
    expect(t.steps[1]!.host_calls).toEqual({ home: t.steps[0]!.host_calls["office"] });
  },
  "metrics.json": (t) => {
    expect(t.steps[1]!.metrics).toEqual({ 'requests_total{method="POST",code="200"}': 1 });
    expect(t.metrics).toContain('requests_total{method="GET",code="200"} 1\n');
  },
  "shared-data.json": (t) => {
    // Indexes 1 to 4 went to the canary, the main thread and the two workers, each a CAS write.
    expect(tagged(t.steps[1]!.logs)).toEqual(["worker 1: worker=4 get acme cas=5"]);
  },
  "fail-reload.json": (t) => {
    expect(t.steps[0]!.streams["trapped"]!.trap).toMatch(/^proxy_on_request_headers failed/);
    expect(t.steps[1]!.streams["too-soon"]).toMatchObject({
      callbacks: [],
      local_reply: { status: 503, details: "wasm_fail_stream" },
    });
    expect(t.steps[3]!.status).toBe("Continue");
    expect(messages(t.steps[3]!).slice(0, 2)).toEqual([
      "vm_start root=1 vm_configuration_size=0",
      "configure root=1 size=0 host_level=2",
    ]);
    expect(header(t.steps[3]!.streams["reloaded"]!.upstream.headers, "x-probe-seen")).toBe("1");
  },
  "environment-variables.json": (t) => {
    const home = process.env["HOME"];
    const variables = ["TENANT=acme", "REGION=eu-west", ...(home === undefined ? [] : [`HOME=${home}`])];
    const read = (thread: string) => variables.map((v) => `${thread}: ${v}`);
    expect(tagged(t.startup.logs)).toEqual([...read("canary"), ...read("main"), ...read("worker 0")]);
    expect(t.steps[0]!.status).toBe("Continue");
  },
};

const toolkit = await wabt();

describe("scenario examples", () => {
  it("has checks for exactly the examples present", () => {
    expect(examples.sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(examples)("%s validates against harness/scenario.schema.json", (name) => {
    const valid = validate(JSON.parse(readFileSync(join(DIR, name), "utf8")));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  for (const build of ["release", "debug"]) {
    it.each(examples)(`%s shows what it describes (${build})`, async (name) => {
      const file = await readScenarioFile(join(DIR, name));
      const fixture = file.module!.includes("/build/fixtures/");
      const module = build === "debug" && fixture ? file.module!.replace(/\.wasm$/, ".debug.wasm") : file.module!;
      const transcript = await runScenario(module, file.scenario);
      expect(transcript.plugin.status).toBe("running");
      expect(transcript.steps).toHaveLength(file.scenario.steps.length);
      expect(transcript.trap).toBeNull();
      checks[name]!(transcript);
    });
  }

  it("keeps each hand-written module's binary in step with its text", () => {
    const modules = join(DIR, "modules");
    for (const name of readdirSync(modules).filter((f) => f.endsWith(".wat"))) {
      const parsed = toolkit.parseWat(name, readFileSync(join(modules, name), "utf8"));
      const binary = parsed.toBinary({}).buffer;
      parsed.destroy();
      expect(new Uint8Array(readFileSync(join(modules, name.replace(/\.wat$/, ".wasm"))))).toEqual(binary);
    }
  });
});

// Scenarios the parser and the schema must both reject, with the path the parser names.
const invalid: [string, unknown, string][] = [
  ["a missing steps list", {}, "$.steps: is required"],
  ["an unknown top-level field", { steps: [], step: [] }, "$.step: unknown field"],
  ["an unknown step kind", { steps: [{ step: "request_header" }] }, "$.steps[0].step: must be one of"],
  [
    "a header that is not a pair",
    { steps: [{ step: "request_headers", headers: [[":method"]] }] },
    "$.steps[0].headers[0]: must be a [name, value] pair of strings",
  ],
  [
    "a non-string header value",
    { steps: [{ step: "response_headers", headers: { ":status": 200 } }] },
    "$.steps[0].headers.:status: must be a string, got number",
  ],
  [
    "a body given twice",
    { steps: [{ step: "request_body", body: "a", body_base64: "YQ==" }] },
    "$.steps[0].body_base64: give either body or body_base64, not both",
  ],
  ["a field of another step", { steps: [{ step: "complete", ms: 1 }] }, "$.steps[0].ms: unknown field"],
  ["a negative clock move", { steps: [{ step: "advance_clock", ms: -1 }] }, "$.steps[0].ms: must be an integer"],
  ["a clock move without ms", { steps: [{ step: "advance_clock" }] }, "$.steps[0].ms: is required"],
  [
    "an unknown failure policy",
    { plugin: { failure_policy: "FAIL_RELOADED" }, steps: [] },
    "$.plugin.failure_policy: must be one of",
  ],
  [
    "a reload backoff without FAIL_RELOAD",
    { plugin: { failure_policy: "FAIL_OPEN", reload_backoff_ms: 100 }, steps: [] },
    "$.plugin.reload_backoff_ms: needs failure_policy FAIL_RELOAD",
  ],
  [
    "an environment variable that is not a string",
    { plugin: { vm_config: { environment_variables: { key_values: { PORT: 80 } } } }, steps: [] },
    "$.plugin.vm_config.environment_variables.key_values.PORT: must be a string, got number",
  ],
  [
    "a host environment key that is not a string",
    { plugin: { vm_config: { environment_variables: { host_env_keys: [true] } } }, steps: [] },
    "$.plugin.vm_config.environment_variables.host_env_keys[0]: must be a string, got boolean",
  ],
  ["zero workers", { host: { workers: 0 }, steps: [] }, "$.host.workers: must be an integer from 1 to 64"],
  ["an unknown log level", { host: { log_level: "verbose" }, steps: [] }, "$.host.log_level: must be one of"],
  [
    "a non-scalar property",
    { streams: { a: { properties: { "source.address": ["x"] } } }, steps: [] },
    "$.streams.a.properties.source.address: must be a string, number, boolean or null",
  ],
  [
    "a configuration that is a number",
    { plugin: { configuration: 5 }, steps: [] },
    "$.plugin.configuration: must be a string or a JSON object or array",
  ],
  [
    "a gRPC status out of range",
    { steps: [{ step: "grpc_close", status: 17 }] },
    "$.steps[0].status: must be an integer from 0 to 16",
  ],
];

describe("scenario errors", () => {
  it.each(invalid)("rejects %s, naming its JSON path", (_, json, message) => {
    expect(() => parseScenario(json)).toThrow(ScenarioError);
    expect(() => parseScenario(json)).toThrow(message);
    expect(validate(json)).toBe(false);
  });

  it("names the step that answers a callout nobody made", async () => {
    const scenario = parseScenario({
      host: { clusters: ["auth"] },
      steps: [
        {
          step: "request_headers",
          headers: { ":method": "GET", ":path": "/", ":authority": "a" },
          end_of_stream: true,
        },
        { step: "http_call_response", cluster: "auth", headers: { ":status": "200" } },
      ],
    });
    await expect(runScenario("build/fixtures/callouts.wasm", scenario)).rejects.toThrow(
      '$.steps[1]: no pending HTTP call number 0 matching {"cluster":"auth"} (pending: none)',
    );
  });

  it("names the step that sends on a stream that already ended", async () => {
    const scenario = parseScenario({
      steps: [
        {
          step: "request_headers",
          headers: { ":method": "GET", ":path": "/", ":authority": "a" },
          end_of_stream: true,
        },
        { step: "complete" },
        { step: "request_body", body: "late" },
      ],
    });
    await expect(runScenario("build/fixtures/bodies.wasm", scenario)).rejects.toThrow(
      "$.steps[2]: cannot send request body: the stream has ended",
    );
  });

  it("refuses a timeout step for a callout without a timeout", async () => {
    const scenario = parseScenario({
      host: { clusters: ["auth"] },
      steps: [
        {
          step: "request_headers",
          headers: { ":method": "GET", ":path": "/", ":authority": "a", "x-callout": "http" },
          end_of_stream: true,
        },
        { step: "http_call_timeout" },
      ],
    });
    await expect(runScenario("build/fixtures/callouts.wasm", scenario)).rejects.toThrow(
      "$.steps[1]: call auth#4 has no timeout",
    );
  });

  it("reports a plugin that rejects its configuration without running the steps", async () => {
    const scenario = parseScenario({
      plugin: { root_id: "header-rewrite", configuration: { request_headers: {} } },
      steps: [{ step: "complete" }],
    });
    const transcript = await runScenario("build/header-rewrite.wasm", scenario);
    expect(transcript.plugin).toMatchObject({
      status: "configure_failed",
      failure: "proxy_on_configure returned false",
    });
    expect(transcript.startup.logs.map((l) => l.message)).toContain(
      "header-rewrite: invalid configuration: request_headers: must be an array, got object",
    );
    expect(transcript.steps).toEqual([]);
  });

  it("throws ModuleLoadError for a module Envoy refuses", async () => {
    const unknownImport = wat(`(import "env" "proxy_teleport" (func)) ${MODULE_BASICS}`);
    const run = runScenario(unknownImport, parseScenario({ steps: [] }));
    await expect(run).rejects.toThrow(ModuleLoadError);
    await expect(run).rejects.toThrow("missing import: env.proxy_teleport");
  });
});

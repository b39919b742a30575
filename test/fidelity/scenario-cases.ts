// Turns a harness scenario (harness/scenario.schema.json) into a differential setup and its cases,
// so any scenario that real Envoy can express runs in both hosts. Each stream becomes one request
// (streams run one after another); the upstream's answer comes from the stream's response steps,
// and each callout cluster answers with the scenario's first answer to it. Steps that only a test
// host can perform (moving the clock, gRPC, shutdown, trailers, attribute overrides) make the
// scenario inexpressible, with the reason.

import { relative } from "node:path";
import { type Scenario, type ScenarioStep } from "../../harness/index.js";
import { type CalloutScript, type FidelityCase, type FidelitySetup, type Headers } from "./types.js";

/** A scenario Envoy cannot run as written, and why. */
export class InexpressibleScenario extends Error {}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

// Splits a header list into its pseudo-headers and the rest.
function split(headers: Headers): { pseudo: Map<string, string>; regular: Headers } {
  const pseudo = new Map<string, string>();
  const regular: Headers = [];
  for (const [name, value] of headers) {
    if (name.startsWith(":")) pseudo.set(name, value);
    else regular.push([name, value]);
  }
  return { pseudo, regular };
}

function calloutScripts(steps: ScenarioStep[], clusters: string[]): Record<string, CalloutScript> {
  const scripts: Record<string, CalloutScript> = {};
  for (const step of steps) {
    if (step.kind !== "http_call_response" && step.kind !== "http_call_reset" && step.kind !== "http_call_timeout") {
      continue;
    }
    const cluster = step.call.cluster ?? clusters[0];
    if (cluster === undefined || cluster in scripts) continue;
    if (step.kind === "http_call_reset") scripts[cluster] = { reset: true };
    else if (step.kind === "http_call_timeout") scripts[cluster] = { stall: true };
    else if (step.kind === "http_call_response") {
      const { pseudo, regular } = split(step.headers);
      scripts[cluster] = { status: Number(pseudo.get(":status") ?? 200), headers: regular, body: decode(step.body) };
    }
  }
  for (const cluster of clusters) scripts[cluster] ??= { status: 200 };
  return scripts;
}

const EXPRESSIBLE = new Set([
  "request_headers",
  "request_body",
  "response_headers",
  "response_body",
  "complete",
  "http_call_response",
  "http_call_reset",
  "http_call_timeout",
]);

// The request and upstream answer one stream's steps describe.
function streamCase(name: string, steps: ScenarioStep[]): FidelityCase {
  const testCase: FidelityCase = { name };
  let body = "";
  let sawBody = false;
  let response: { status: number; headers: Headers; body: string } | null = null;
  for (const step of steps) {
    if (step.kind === "request_headers") {
      const { pseudo, regular } = split(step.headers);
      testCase.method = pseudo.get(":method") ?? "GET";
      testCase.path = pseudo.get(":path") ?? "/";
      const authority = pseudo.get(":authority");
      if (authority !== undefined) testCase.authority = authority;
      testCase.headers = regular;
    } else if (step.kind === "request_body") {
      body += decode(step.body);
      sawBody = true;
    } else if (step.kind === "response_headers") {
      const { pseudo, regular } = split(step.headers);
      response = { status: Number(pseudo.get(":status") ?? 200), headers: regular, body: "" };
    } else if (step.kind === "response_body" && response) {
      response.body += decode(step.body);
    }
  }
  if (sawBody) testCase.body = body;
  if (response) testCase.upstream = response;
  return testCase;
}

/**
 * The differential setup for `scenario` (module `wasm`, a path relative to `root`) and one case per
 * stream, or an InexpressibleScenario naming the first step Envoy cannot reproduce.
 */
export function scenarioCases(
  name: string,
  scenario: Scenario,
  wasm: string,
  root: string,
): { setup: FidelitySetup; cases: FidelityCase[] } {
  const refuse = (reason: string) => new InexpressibleScenario(`${name}: ${reason}`);
  const step = scenario.steps.find((s) => !EXPRESSIBLE.has(s.kind));
  if (step) throw refuse(`step ${step.kind} needs a test host`);
  const overridden = Object.entries(scenario.streams).find(([, s]) => Object.keys(s.properties).length > 0);
  if (overridden) throw refuse(`stream ${overridden[0]} overrides attributes`);
  const plugin = scenario.plugin;
  if (
    plugin.vmConfiguration !== undefined ||
    plugin.environmentVariables !== undefined ||
    plugin.allowOnHeadersStopIteration
  ) {
    throw refuse(
      "VM configuration, environment variables and allow_on_headers_stop_iteration are not in the generated bootstrap",
    );
  }
  const configuration = scenario.plugin.configuration;
  const setup: FidelitySetup = {
    name,
    wasm: relative(root, wasm),
    configuration: typeof configuration === "object" ? JSON.stringify(configuration) : (configuration ?? ""),
    callouts: calloutScripts(scenario.steps, scenario.host.clusters),
    workers: scenario.host.workers,
  };
  if (scenario.plugin.rootId !== undefined) setup.rootId = scenario.plugin.rootId;
  if (scenario.plugin.failurePolicy !== undefined) setup.failurePolicy = scenario.plugin.failurePolicy;
  if (scenario.plugin.reloadBackoffMs !== undefined) setup.reloadBackoffMs = scenario.plugin.reloadBackoffMs;
  const streams = new Map<string, ScenarioStep[]>();
  for (const s of scenario.steps) {
    if (!("stream" in s)) continue;
    streams.set(s.stream, [...(streams.get(s.stream) ?? []), s]);
  }
  const cases = [...streams].map(([stream, steps]) => streamCase(`${name} (stream ${stream})`, steps));
  return { setup, cases };
}

// telemetry per request through the harness against the SDK's pass-through module: Istio's
// standard metrics only, and with 5 custom metrics (CEL values and dimensions), plus the host calls
// one such request makes.

import { join } from "node:path";
import { type HttpStream, Plugin } from "../../harness/index.js";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { buildPassThrough } from "../fixture-modules.js";

const REQUESTS = 5_000;

const CUSTOM = [
  { name: "tier_requests_total", dimensions: { tier: "request.headers['x-tier']" } },
  { name: "method_requests_total", dimensions: { method: "request.method", code: "string(response.code)" } },
  { name: "payload_bytes", type: "HISTOGRAM", value: "request.total_size", dimensions: { method: "request.method" } },
  { name: "last_status", type: "GAUGE", value: "response.code" },
  { name: "slow_requests_total", value: "request.duration > duration('1s') ? 1 : 0" },
];

function send(plugin: Plugin): HttpStream {
  const stream = plugin.newHttpStream(0, { attributes: { "response.code": 200, "request.duration": 3_000_000n } });
  stream.sendRequestHeaders(
    [
      [":method", "GET"],
      [":path", "/api/items"],
      [":authority", "reviews.shop:9080"],
      ["x-tier", "gold"],
    ],
    true,
  );
  stream.sendResponseHeaders([[":status", "200"]], true);
  return stream;
}

async function load(wasm: string, configuration: object, trace = false): Promise<Plugin> {
  const plugin = await Plugin.load(wasm, { rootId: "telemetry", configuration, trace });
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  return plugin;
}

export default async function telemetry(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const wasm = join("build", "telemetry.wasm");
  const passThroughPlugin = await load(passThrough, {});
  const cases: Case[] = [];
  for (const [name, configuration] of [
    ["standard", {}],
    ["custom-5", { definitions: CUSTOM }],
  ] as [string, object][]) {
    const plugin = await load(wasm, configuration);
    cases.push(
      pairedCase(
        `filter.telemetry.${name}`,
        "ns/request",
        pairedNanoseconds(
          () => send(plugin),
          () => send(passThroughPlugin),
          REQUESTS,
        ),
      ),
    );
    const traced = await load(wasm, configuration, true);
    send(traced);
    const stream = send(traced);
    cases.push(
      ratioCase(`filter.telemetry.${name}.host-calls`, "host calls/request", traced.trace!.countFor(stream), 1),
    );
  }
  return cases;
}

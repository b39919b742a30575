// header-rewrite per request through the harness against the SDK's pass-through module, with 1, 10
// and 50 rules (the request matches only the last one, so every rule's conditions are read), the
// host calls one such request makes after one like it (as each timed request follows one), and a
// request no rule matches.

import { join } from "node:path";
import { type HttpStream, Plugin } from "../../harness/index.js";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { buildPassThrough } from "../fixture-modules.js";

const REQUESTS = 5_000;

// Rule i applies to GET /api/<i>/... with an x-tenant header; it sets two headers from templates,
// renames a query parameter and removes debug headers, and adds a response header.
function rules(count: number): object[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `r${i}`,
    match: { methods: ["GET"], path: { prefix: `/api/${i}/` }, headers: [{ name: "x-tenant", present_match: true }] },
    request: {
      headers: [
        { set: { name: "x-tenant-id", value: "%REQ(x-tenant)%" } },
        { set: { name: "x-client", value: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%" } },
        { remove_matching: { prefix: "x-debug-" } },
      ],
      query: [{ rename: { from: "q", to: "query" } }],
    },
    response: { headers: [{ set: { name: "x-served-by", value: "envoy-as" } }] },
  }));
}

function send(plugin: Plugin, path: string): HttpStream {
  const stream = plugin.newHttpStream();
  stream.sendRequestHeaders(
    [
      [":method", "GET"],
      [":path", path],
      [":authority", "shop.test"],
      ["x-tenant", "acme"],
      ["x-debug-trace", "1"],
    ],
    true,
  );
  stream.sendResponseHeaders([[":status", "200"]], true);
  return stream;
}

async function load(wasm: string, configuration: object, trace = false): Promise<Plugin> {
  const plugin = await Plugin.load(wasm, { rootId: "header-rewrite", configuration, trace });
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  return plugin;
}

// Times requests to `path` through `plugin`, paired with the same requests through `passThrough`.
function perRequest(plugin: Plugin, path: string, passThrough: Plugin) {
  return pairedNanoseconds(
    () => send(plugin, path),
    () => send(passThrough, path),
    REQUESTS,
  );
}

export default async function headerRewrite(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const wasm = join("build", "header-rewrite.wasm");
  const baseline = await load(passThrough, {});
  const cases: Case[] = [];
  for (const count of [1, 10, 50]) {
    const configuration = { rules: rules(count) };
    const path = `/api/${count - 1}/items?q=envoy`;
    const name = `filter.header-rewrite.${count}`;
    cases.push(pairedCase(name, "ns/request", perRequest(await load(wasm, configuration), path, baseline)));
    const traced = await load(wasm, configuration, true);
    send(traced, path);
    const stream = send(traced, path);
    if (stream.upstreamRequest.headers!.get("x-tenant-id") !== "acme")
      throw new Error(`${name}: the rule did not apply`);
    cases.push(ratioCase(`${name}.host-calls`, "host calls/request", traced.trace!.countFor(stream), 1));
  }
  const none = { rules: rules(50) };
  cases.push(
    pairedCase(
      "filter.header-rewrite.50.no-match",
      "ns/request",
      perRequest(await load(wasm, none), "/other", baseline),
    ),
  );
  const traced = await load(wasm, none, true);
  send(traced, "/other");
  cases.push(
    ratioCase(
      "filter.header-rewrite.50.no-match.host-calls",
      "host calls/request",
      traced.trace!.countFor(send(traced, "/other")),
      1,
    ),
  );
  return cases;
}

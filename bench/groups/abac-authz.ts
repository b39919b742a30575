// abac-authz per request through the harness against the SDK's pass-through module, with 1, 10
// and 100 ALLOW policies (the request matches the last policy's rule, so every policy is read),
// with 10 DENY policies none of which matches the request, and the host calls each makes after a
// request like it (as each timed request follows one).

import { join } from "node:path";
import { Plugin } from "../../harness/index.js";
import { policy, send } from "../../test/filters/abac-authz/support.js";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { buildPassThrough } from "../fixture-modules.js";

const REQUESTS = 5_000;
const PEER = "spiffe://cluster.local/ns/shop/sa/frontend";
const REQUEST = { method: "GET", path: "/api/orders/7", host: "orders.shop.svc", peer: PEER };

// `count` policies; policy i allows GET on /api/<i>/* from its own service account, the last one
// the request's, with a CEL condition on a header.
function policies(count: number): object[] {
  return Array.from({ length: count }, (_, i) => {
    const last = i === count - 1;
    return policy(`p${i}`, {
      action: "ALLOW",
      rules: [
        {
          from: [
            { source: { principals: [last ? PEER.slice("spiffe://".length) : `cluster.local/ns/shop/sa/s${i}`] } },
          ],
          to: [{ operation: { methods: ["GET"], paths: [last ? "/api/orders/{*}" : `/api/${i}/*`] } }],
          when: [{ key: "request.headers[x-tenant]", notValues: ["blocked"] }],
        },
      ],
    });
  });
}

// 10 DENY policies on other callers' admin paths; the bench request matches none of them.
function untouchingDenials(): object[] {
  return Array.from({ length: 10 }, (_, i) =>
    policy(`deny-${i}`, {
      action: "DENY",
      rules: [
        {
          from: [{ source: { principals: [`cluster.local/ns/ops/sa/s${i}`] } }],
          to: [{ operation: { paths: [`/admin/${i}/*`] } }],
        },
      ],
    }),
  );
}

async function load(wasm: string, configuration: object, trace = false): Promise<Plugin> {
  const plugin = await Plugin.load(wasm, { rootId: "abac-authz", configuration, trace });
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  return plugin;
}

// One allowed request through `plugin`, answered so the stream ends (an open one stays live).
function allowed(plugin: Plugin): void {
  const stream = send(plugin, REQUEST);
  if (stream.localReply) throw new Error(`the bench request was denied: ${stream.localReply.status}`);
  stream.sendResponseHeaders([[":status", "200"]], true);
}

export default async function abacAuthz(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const wasm = join("build", "abac-authz.wasm");
  const baseline = await load(passThrough, {});
  const cases: Case[] = [];
  const configurations: [string, object][] = [1, 10, 100].map((count) => [
    `filter.abac-authz.${count}`,
    { policies: policies(count) },
  ]);
  configurations.push(["filter.abac-authz.deny-10.no-match", { policies: untouchingDenials() }]);
  for (const [name, configuration] of configurations) {
    const plugin = await load(wasm, configuration);
    cases.push(
      pairedCase(
        name,
        "ns/request",
        pairedNanoseconds(
          () => allowed(plugin),
          () => allowed(baseline),
          REQUESTS,
        ),
      ),
    );
    const traced = await load(wasm, configuration, true);
    allowed(traced);
    const stream = send(traced, REQUEST);
    cases.push(ratioCase(`${name}.host-calls`, "host calls/request", traced.trace!.countFor(stream), 1));
  }
  return cases;
}

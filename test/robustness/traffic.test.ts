// Hostile traffic through every filter with its envoy-configs/ example configuration: random and
// mutated request and response header maps, bodies cut at random boundaries, random ext-authz
// answers. No input may trap, and each request either goes upstream or gets a documented local reply.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HttpStream, type Plugin } from "../../harness/index.js";
import {
  exampleConfiguration,
  FILTERS,
  type FilterName,
  outcomeOf,
  PluginHolder,
  RUNS,
  timeoutFor,
  trapOf,
} from "./support.js";
import { type Exchange, exchange } from "./traffic-arbitraries.js";

// The local-reply statuses each README documents: jwt-authn denials are 401 or 403 (README
// "Denials"); abac-authz answers 403 (RBAC, statusOnError) or the CUSTOM provider's non-200,
// non-5xx status (README "CUSTOM"); header-rewrite and telemetry never answer locally.
function documentedStatuses(filter: FilterName, ex: Exchange): number[] {
  if (filter === "jwt-authn") return [401, 403];
  if (filter === "abac-authz") return ex.calloutStatus === null ? [403] : [403, ex.calloutStatus];
  return [];
}

function sendChunks(stream: HttpStream, chunks: Uint8Array[] | null, direction: "request" | "response"): void {
  if (chunks === null) return;
  for (const [i, chunk] of chunks.entries()) {
    if (stream.completed || stream.localReply) return;
    const last = i === chunks.length - 1;
    if (direction === "request") stream.sendRequestBody(chunk, last);
    else stream.sendResponseBody(chunk, last);
  }
}

// Runs one exchange to the end: request, the ext-authz answer (or a failed call), then the
// response once the upstream has the whole request.
function drive(plugin: Plugin, ex: Exchange): HttpStream {
  const stream = plugin.newHttpStream();
  stream.sendRequestHeaders(ex.request, ex.requestChunks === null);
  sendChunks(stream, ex.requestChunks, "request");
  for (const call of plugin.httpCalls) {
    if (ex.calloutStatus === null) call.fail();
    else call.respond({ headers: [[":status", String(ex.calloutStatus)]], body: "checked" });
  }
  if (!stream.completed && !stream.localReply && stream.upstreamRequest.ended) {
    stream.sendResponseHeaders(ex.response, ex.responseChunks === null);
    sendChunks(stream, ex.responseChunks, "response");
  }
  if (!stream.completed) stream.complete();
  return stream;
}

describe.each(FILTERS)("%s under hostile traffic", (filter) => {
  it(
    `never traps and either passes the request or answers a documented status (${RUNS} cases)`,
    async () => {
      const holder = new PluginHolder(filter, await exampleConfiguration(filter));
      await fc.assert(
        fc.asyncProperty(exchange, async (ex) => {
          const plugin = await holder.get();
          const stream = drive(plugin, ex);
          expect(trapOf(plugin, stream)).toBeNull();
          expect(plugin.status).toBe("running");
          const outcome = outcomeOf(stream);
          if (outcome.kind === "reply") expect(documentedStatuses(filter, ex)).toContain(outcome.status);
          else expect(outcome.kind).toBe("upstream");
        }),
        { numRuns: RUNS },
      );
    },
    timeoutFor(40),
  );
});

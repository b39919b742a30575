// Every normalisation applied before the two hosts' observations are compared, each with its
// reason. Nothing else is changed: a difference that survives these is a real one.

import { type Headers, type Observation, type ObservedRequest } from "./types.js";

/** One normalisation: what it does and why it is needed. */
export interface Normalisation {
  name: string;
  reason: string;
}

/** The normalisations, in the order the README lists them. */
export const NORMALISATIONS: readonly Normalisation[] = [
  {
    name: "client response: drop date, server, connection (Envoy)",
    reason:
      "Envoy's connection manager adds date and server, and the HTTP/1.1 codec manages connection, after the " +
      "filter chain ran; the harness stops at the filter chain.",
  },
  {
    name: "drop transfer-encoding (Envoy, every message)",
    reason:
      "HTTP/1.1 framing: the codec chooses chunked when no content-length is left; the body is compared byte for byte.",
  },
  {
    name: "client response: drop content-length: 0 when the body is empty (both)",
    reason:
      "Envoy's HTTP/1.1 codec adds content-length: 0 to a headers-only response (other than 204/304) as " +
      "framing; filters never see it.",
  },
  {
    name: "upstream requests: drop content-length: 0 when the body is empty (Envoy)",
    reason:
      "Envoy's HTTP/1.1 codec adds content-length: 0 to a body-less request whose method may carry a body " +
      "(POST, PUT, PATCH, OPTIONS...) as framing, after the filter chain; filters never see it.",
  },
  {
    name: "callout requests: drop x-envoy-internal (Envoy)",
    reason: "Envoy's async client marks every callout as internal after the guest built its headers.",
  },
  {
    name: "upstream and callout requests: drop x-envoy-expected-rq-timeout-ms (Envoy)",
    reason: "The router adds it after the filter chain, when it sends the request upstream.",
  },
  {
    name: "x-request-id value becomes <id> (both)",
    reason: "Envoy generates a random UUID per request; the harness is given a fixed one in the same position.",
  },
  {
    name: "x-envoy-upstream-service-time value becomes <ms> (both)",
    reason: "A measured duration; the harness is given 0 in the position the router adds it.",
  },
  {
    name: "upstream and callout requests: pseudo-headers of the harness become the request line (harness)",
    reason:
      "HTTP/1.1 sends :method and :path in the request line (compared as method and path), :authority as host, " +
      "and no :scheme.",
  },
  {
    name: "header order between different names is not compared (both)",
    reason:
      "Headers are sorted by name, keeping the order of repeated values; codecs may place the host line " +
      "differently, and no filter behaviour here depends on cross-name order.",
  },
  {
    name: "logs: only `wasm log` lines, as `<level> <message>` (Envoy)",
    reason:
      "Envoy's wasm logger also prints its own debug lines (VM lifecycle); the plugin/root/vm prefix is the " +
      "same for every line of a setup.",
  },
  {
    name: "logs: clock readings (`at_ms=`, `now_ns=`) become <time> (both)",
    reason:
      "Envoy reads the wall clock and the harness its fake clock, which starts elsewhere; which ticks ran, on " +
      "which thread and in which order is still compared.",
  },
  {
    name: "logs of start-ups, several workers or ticks: grouped by thread, as `<thread>: <line>` (both)",
    reason:
      "Envoy's main thread (canary and main-thread instance) and its workers run at the same time, so only the " +
      "order within a thread is fixed; Envoy's thread ids become main and worker N by first appearance.",
  },
  {
    name: "metrics: counter and gauge changes during the case, from Prometheus text (both)",
    reason:
      "One Envoy serves many cases, so values are compared as deltas; histograms are left out because Envoy " +
      "publishes them only on its periodic stats flush.",
  },
];

const ENVOY_ONLY_RESPONSE = new Set(["date", "server", "connection", "transfer-encoding"]);
const ENVOY_ONLY_REQUEST = new Set(["x-envoy-expected-rq-timeout-ms", "transfer-encoding"]);

function masked(headers: Headers): Headers {
  return headers.map(([name, value]): [string, string] => {
    if (name === "x-request-id") return [name, "<id>"];
    if (name === "x-envoy-upstream-service-time") return [name, "<ms>"];
    return [name, value];
  });
}

function sorted(headers: Headers): Headers {
  return [...headers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

// A request as the wire shows it: pseudo-headers to the request line and host.
function wire(request: ObservedRequest): ObservedRequest {
  const headers: Headers = [];
  for (const [name, value] of request.headers) {
    if (name === ":authority") headers.push(["host", value]);
    else if (!name.startsWith(":")) headers.push([name, value]);
  }
  return { ...request, headers };
}

function request(value: ObservedRequest, side: "harness" | "envoy", callout: boolean): ObservedRequest {
  const onWire = side === "harness" ? wire(value) : value;
  const framing = (name: string) => !callout && value.body === "" && name === "content-length";
  const envoyOnly = (name: string) =>
    ENVOY_ONLY_REQUEST.has(name) || (callout && name === "x-envoy-internal") || framing(name);
  const headers = onWire.headers.filter(([name]) => side === "harness" || !envoyOnly(name));
  return { ...onWire, headers: sorted(masked(headers)) };
}

const CLOCK_READING = /\b(at_ms|now_ns)=\d+/g;

/** Masks clock readings in log lines. */
export function normaliseLogs(lines: string[]): string[] {
  return lines.map((line) => line.replace(CLOCK_READING, "$1=<time>"));
}

/** Applies NORMALISATIONS to one side's observation. */
export function normalise(observation: Observation, side: "harness" | "envoy"): Observation {
  const emptyBody = observation.response.body === "";
  const responseHeaders = observation.response.headers.filter(
    ([name, value]) =>
      (side === "harness" || !ENVOY_ONLY_RESPONSE.has(name)) &&
      !(emptyBody && name === "content-length" && value === "0"),
  );
  return {
    response: { ...observation.response, headers: sorted(masked(responseHeaders)) },
    upstream: observation.upstream ? request(observation.upstream, side, false) : null,
    logs: normaliseLogs(observation.logs),
    metrics: observation.metrics,
    callouts: observation.callouts.map((c) => ({ ...request(c, side, true), cluster: c.cluster })),
  };
}

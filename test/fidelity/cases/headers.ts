// Header cases: header-rewrite's set/add/remove (inline-header comma joining, repeated headers)
// and the probe fixture's request and response paths.

import { type FidelityCase, type FidelitySetup } from "../types.js";

const REWRITE_CONFIG = JSON.stringify({
  request_headers: [
    { set: { name: "x-tenant", value: "acme" } },
    { add: { name: "x-trace-tag", value: "edge" } },
    { add: { name: "user-agent", value: "edge" } },
    { remove: "x-internal-debug" },
  ],
  response_headers: [
    { set: { name: "x-served-by", value: "envoy-as" } },
    { add: { name: "cache-control", value: "no-store" } },
    { add: { name: "x-app", value: "edge" } },
    { remove: "x-upstream-secret" },
  ],
});

export const headerRewrite: FidelitySetup = {
  name: "header-rewrite",
  wasm: "build/header-rewrite.wasm",
  rootId: "header-rewrite",
  configuration: REWRITE_CONFIG,
};

export const headerRewriteCases: FidelityCase[] = [
  {
    name: "sets, adds and removes request and response headers",
    path: "/items?id=7",
    headers: [
      ["x-internal-debug", "1"],
      ["x-trace-tag", "client"],
      ["x-tenant", "spoofed"],
    ],
    upstream: {
      status: 200,
      headers: [
        ["x-upstream-secret", "s3cret"],
        ["cache-control", "max-age=60"],
        ["x-app", "catalog"],
      ],
      body: "ok",
    },
  },
  {
    name: "adds to absent headers",
    upstream: { status: 204 },
  },
  {
    name: "keeps repeated request headers apart and appends another",
    headers: [
      ["x-trace-tag", "a"],
      ["x-trace-tag", "b"],
      ["x-tenant", "one"],
      ["x-tenant", "two"],
    ],
  },
  {
    name: "comma-joins an added inline header (user-agent) on the request",
    headers: [["user-agent", "client/1"]],
  },
  {
    name: "passes an upstream 404 with its body",
    upstream: { status: 404, headers: [["content-type", "text/plain"]], body: "missing" },
  },
  {
    name: "forwards a POST body unchanged",
    method: "POST",
    headers: [["content-type", "text/plain"]],
    body: "hello upstream",
  },
  {
    name: "comma-joins two user-agent lines the client sent, then the added one",
    headers: [
      ["user-agent", "first/1"],
      ["user-agent", "second/2"],
    ],
  },
  {
    name: "adds cache-control to an upstream that sent it twice",
    upstream: {
      status: 200,
      headers: [
        ["cache-control", "private"],
        ["cache-control", "max-age=5"],
      ],
      body: "twice",
    },
  },
  {
    name: "matches header names whatever their case",
    headers: [
      ["X-Internal-Debug", "1"],
      ["X-Tenant", "Upper"],
      ["X-Trace-Tag", "Mixed"],
    ],
  },
  {
    name: "overwrites an empty x-tenant and appends to an empty x-trace-tag",
    headers: [
      ["x-tenant", ""],
      ["x-trace-tag", ""],
    ],
  },
  {
    name: "removes every repeated x-internal-debug",
    headers: [
      ["x-internal-debug", "1"],
      ["x-internal-debug", "2"],
    ],
  },
  {
    name: "removes a repeated upstream secret and keeps repeated set-cookie",
    upstream: {
      status: 200,
      headers: [
        ["x-upstream-secret", "a"],
        ["x-upstream-secret", "b"],
        ["set-cookie", "a=1"],
        ["set-cookie", "b=2"],
      ],
      body: "cookies",
    },
  },
  {
    name: "keeps an empty upstream header value",
    upstream: { status: 200, headers: [["x-empty-up", ""]], body: "e" },
  },
  { name: "passes a long header value", headers: [["x-long", "v".repeat(2000)]] },
  { name: "passes a PUT with a query string", method: "PUT", path: "/a/b?x=1&y=2", body: "put body" },
  { name: "passes a DELETE", method: "DELETE", path: "/items/9" },
  {
    name: "passes an upstream 302 with its location",
    upstream: { status: 302, headers: [["location", "/elsewhere"]], body: "" },
  },
  { name: "passes an upstream 500", upstream: { status: 500, body: "boom" } },
  { name: "appends the added user-agent to an empty one", headers: [["user-agent", ""]] },
  { name: "keeps a header value with commas and spaces", headers: [["x-list", "a, b ,c"]] },
  { name: "keeps a cache-control the client sent", headers: [["cache-control", "no-cache"]] },
  { name: "passes a PATCH with a body", method: "PATCH", path: "/items/3", body: "patch" },
  {
    name: "adds cache-control after an empty one from the upstream",
    upstream: { status: 200, headers: [["cache-control", ""]], body: "empty cc" },
  },
];

export const probe: FidelitySetup = {
  name: "probe",
  wasm: "build/fixtures/probe.wasm",
  rootId: "probe",
  configuration: "{}",
};

export const probeCases: FidelityCase[] = [
  { name: "continues and adds x-probe-seen" },
  {
    name: "stalls a GET whose headers callback stops, until the client gives up (abi.md 10, gotcha 14)",
    headers: [["x-probe", "stop"]],
    abortAfterMs: 400,
  },
  {
    name: "holds a POST body without body callbacks after StopIteration became StopAll (abi.md 11)",
    method: "POST",
    headers: [["x-probe", "stop"]],
    body: "held body",
    abortAfterMs: 400,
  },
  {
    name: "holds a POST body after StopAllIterationAndBuffer until the client gives up",
    method: "POST",
    headers: [["x-probe", "stop-all-buffer"]],
    body: "held body",
    abortAfterMs: 400,
  },
  { name: "sees an empty header as empty, not absent", headers: [["x-empty", ""]] },
  {
    name: "counts repeated headers",
    headers: [
      ["x-a", "1"],
      ["x-a", "2"],
      ["x-b", "3"],
    ],
  },
  { name: "sees eos=0 with a request body", method: "POST", body: "payload" },
  { name: "replies locally with a body and extra headers", headers: [["x-probe", "reply"]] },
  { name: "replies locally without a body", headers: [["x-probe", "reply-empty"]] },
  {
    name: "replies locally from the response headers",
    upstream: { status: 200, headers: [["x-probe-reply-in-response", "1"]], body: "upstream" },
  },
  { name: "treats ContinueAndEndStream as Continue", headers: [["x-probe", "continue-and-end"]] },
  {
    name: "treats ContinueAndEndStream as Continue with a body",
    method: "POST",
    headers: [["x-probe", "continue-and-end"]],
    body: "kept",
  },
  { name: "passes an upstream 503", upstream: { status: 503, body: "down" } },
  {
    name: "sees an empty header among repeated ones",
    headers: [
      ["x-empty", ""],
      ["x-empty", "second"],
    ],
  },
  { name: "reads x-probe whatever the case of its name", headers: [["X-Probe", "reply"]] },
  { name: "replies locally to a POST with a body", method: "POST", headers: [["x-probe", "reply"]], body: "ignored" },
  {
    name: "replies locally without a body to a POST",
    method: "POST",
    headers: [["x-probe", "reply-empty"]],
    body: "ignored too",
  },
  { name: "ignores an unknown action", headers: [["x-probe", "no-such-action"]] },
  { name: "counts many headers", headers: Array.from({ length: 12 }, (_, i): [string, string] => [`x-h${i}`, `${i}`]) },
  {
    name: "replies locally from the response headers of an upstream 404",
    upstream: { status: 404, headers: [["x-probe-reply-in-response", "1"]], body: "nope" },
  },
  { name: "passes an upstream 204", upstream: { status: 204 } },
  { name: "passes an upstream 201 with headers", upstream: { status: 201, headers: [["x-made", "1"]], body: "made" } },
  { name: "continues a PUT with a body", method: "PUT", body: "put payload" },
  {
    name: "reads the first of repeated x-probe headers",
    headers: [
      ["x-probe", "reply"],
      ["x-probe", "continue-and-end"],
    ],
  },
  {
    name: "treats ContinueAndEndStream as Continue before an upstream 404",
    headers: [["x-probe", "continue-and-end"]],
    upstream: { status: 404, body: "gone" },
  },
  { name: "passes an upstream 503 to a POST", method: "POST", body: "p", upstream: { status: 503, body: "down" } },
  { name: "continues a DELETE", method: "DELETE", path: "/things/1" },
  { name: "sees eos=0 with a 1-byte body", method: "POST", body: "1" },
];

export const probeLevels: FidelitySetup = {
  name: "probe-levels",
  wasm: "build/fixtures/probe.wasm",
  rootId: "probe",
  configuration: JSON.stringify({ log_every_level: true }),
};

export const probeLevelsCases: FidelityCase[] = [{ name: "serves a request after logging every level" }];

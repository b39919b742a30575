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
];

export const probe: FidelitySetup = {
  name: "probe",
  wasm: "build/fixtures/probe.wasm",
  rootId: "probe",
  configuration: "{}",
};

export const probeCases: FidelityCase[] = [
  { name: "continues and adds x-probe-seen" },
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
];

export const probeLevels: FidelitySetup = {
  name: "probe-levels",
  wasm: "build/fixtures/probe.wasm",
  rootId: "probe",
  configuration: JSON.stringify({ log_every_level: true }),
};

export const probeLevelsCases: FidelityCase[] = [{ name: "serves a request after logging every level" }];

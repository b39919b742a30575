// Body cases: the bodies fixture reads, buffers and rewrites request and response bodies; the
// `x-body` request header and the `x-resp` response header pick the action.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const bodies: FidelitySetup = { name: "bodies", wasm: "build/fixtures/bodies.wasm" };

const post = (action: string, body: string): FidelityCase => ({
  name: `request body action ${action}`,
  method: "POST",
  headers: [["x-body", action]],
  body,
});

export const bodiesCases: FidelityCase[] = [
  { name: "passes a request without a body" },
  post("none", "plain body"),
  post("buffer-upper", "make me loud"),
  post("edit", "abcdef"),
  post("drop", "abcdef"),
  post("replace-all", "old body"),
  post("limit", "longer than eight bytes"),
  post("limit-pass", "longer than eight bytes"),
  post("trailers-size", "with trailers"),
  {
    name: "uppercases a buffered response body",
    upstream: { status: 200, headers: [["x-resp", "upper"]], body: "quiet response" },
  },
  {
    name: "sends a gRPC local reply",
    method: "POST",
    headers: [
      ["x-body", "grpc-deny"],
      ["content-type", "application/grpc"],
    ],
    body: "",
  },
  {
    name: "sees an empty upstream body as headers-only",
    upstream: { status: 204 },
  },
];

// Body cases: the bodies fixture reads, buffers and rewrites request and response bodies; the
// `x-body` request header and the `x-resp` response header pick the action.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const bodies: FidelitySetup = { name: "bodies", wasm: "build/fixtures/bodies.wasm" };

const post = (action: string, body: string, size = ""): FidelityCase => ({
  name: `request body action ${action}${size}`,
  method: "POST",
  headers: [["x-body", action]],
  body,
});

export const bodiesCases: FidelityCase[] = [
  { name: "passes a request without a body" },
  { name: "adds a header value with a raw 0xff byte and replaces :path", headers: [["x-body", "bytes-header"]] },
  { name: "passes a POST without a body", method: "POST" },
  { name: "passes an OPTIONS request", method: "OPTIONS" },
  post("none", "plain body"),
  post("buffer-upper", "make me loud"),
  post("edit", "abcdef"),
  post("drop", "abcdef"),
  post("replace-all", "old body"),
  post("limit", "longer than eight bytes"),
  post("limit-pass", "longer than eight bytes"),
  post("trailers-size", "with trailers"),
  post("none", "x", " with 1 byte"),
  post("none", "a".repeat(1000), " with 1000 bytes"),
  post("buffer-upper", "b", " with 1 byte"),
  post("buffer-upper", "mixed Case 123 ".repeat(50), " with 750 bytes"),
  post("edit", "x", " with 1 byte"),
  post("drop", "ab", " of the whole 2-byte body"),
  post("replace-all", "r".repeat(500), " with 500 bytes"),
  post("limit", "eight!!!", " at exactly 8 bytes"),
  post("limit-pass", "short", " under the limit"),
  post("trailers-add", "add trailers", " without client trailers"),
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
  {
    name: "uppercases a large buffered response body",
    upstream: { status: 200, headers: [["x-resp", "upper"]], body: "response chunk ".repeat(40) },
  },
  {
    name: "continues the request from the response headers",
    upstream: { status: 200, headers: [["x-resp", "continue-request"]], body: "r" },
  },
  {
    name: "adds response trailers at the end of the body",
    upstream: { status: 200, headers: [["x-resp", "trailers-add"]], body: "t" },
  },
  { name: "passes an upstream 404 body", upstream: { status: 404, body: "not here" } },
];

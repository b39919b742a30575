// Filter-state cases: the chain fixture as one filter writes `by_<tag>`, marks `x-seen`, and
// records the visit on the response; with `reply` it denies.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const chainTag: FidelitySetup = {
  name: "chain-tag",
  wasm: "build/fixtures/chain.wasm",
  configuration: JSON.stringify({ tag: "a", read: "a" }),
};

export const chainReply: FidelitySetup = {
  name: "chain-reply",
  wasm: "build/fixtures/chain.wasm",
  configuration: JSON.stringify({ tag: "r", reply: true }),
};

export const chainCases: FidelityCase[] = [
  { name: "marks the request and the response" },
  { name: "appends to an x-seen the client sent", headers: [["x-seen", "client"]] },
  { name: "sees a buffered request body", method: "POST", body: "chunk" },
  {
    name: "appends to repeated x-seen headers",
    headers: [
      ["x-seen", "one"],
      ["x-seen", "two"],
    ],
  },
  { name: "sees an empty x-seen", headers: [["x-seen", ""]] },
  { name: "sees a larger buffered request body", method: "POST", body: "chunk-".repeat(100) },
  { name: "marks an upstream 500", upstream: { status: 500, body: "bad" } },
  { name: "sees a 1-byte buffered request body", method: "POST", body: "c" },
  { name: "marks a PUT", method: "PUT", body: "put" },
];

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
];

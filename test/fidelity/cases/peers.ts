// Modules built by other SDKs and toolchains (test/peers/): each one loads and serves requests
// the same way in both hosts.

import { type FidelityCase, type FidelitySetup } from "../types.js";

const peer = (name: string, extra: Partial<FidelitySetup>): FidelitySetup => ({
  name,
  wasm: `test/peers/${name}/${name}.wasm`,
  ...extra,
});

export const peerSetups: FidelitySetup[] = [
  peer("go-header", { configuration: "x-peer: go" }),
  peer("rust-header", { configuration: "x-peer: rust" }),
  peer("zig-header", { configuration: "x-peer: zig" }),
  peer("c-emscripten", { configuration: "x-copy-me" }),
  peer("solo-header", { rootId: "solo-header", configuration: "solo" }),
];

export const peerCases: FidelityCase[] = [
  { name: "sets its header and marks the response", headers: [["x-copy-me", "copied"]] },
  { name: "replaces a header the client sent", headers: [["x-peer", "client"]] },
  { name: "passes a POST with a body", method: "POST", body: "peer body", headers: [["x-copy-me", "again"]] },
];

// Callout cases: HTTP callouts answered by scripted cluster servers (success, denial, reset,
// unknown cluster, bad arguments), from the callouts and gotchas fixtures.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const callouts: FidelitySetup = {
  name: "callouts",
  wasm: "build/fixtures/callouts.wasm",
  configuration: "{}",
  callouts: {
    auth: { status: 200, headers: [["x-user", "alice"]], body: "welcome" },
    denied: { status: 403, body: "not you" },
    broken: { reset: true },
    silent: { stall: true },
  },
};

const call = (name: string, headers: [string, string][]): FidelityCase => ({ name, headers });

export const calloutsCases: FidelityCase[] = [
  call("continues after a successful callout with the user it returned", [
    ["x-callout", "http"],
    ["x-user", "alice"],
  ]),
  call("replies 403 with the body of a denying callout", [
    ["x-callout", "http"],
    ["x-cluster", "denied"],
  ]),
  call("handles a callout whose connection is reset", [
    ["x-callout", "http"],
    ["x-cluster", "broken"],
  ]),
  call("times out a callout the cluster never answers: the router's 504", [
    ["x-callout", "http"],
    ["x-cluster", "silent"],
    ["x-timeout", "300"],
  ]),
  call("refuses a callout to an unknown cluster and continues", [
    ["x-callout", "http"],
    ["x-cluster", "nowhere"],
  ]),
  call("refuses a callout without :authority", [["x-callout", "http-no-authority"]]),
  call("refuses a gRPC call to an unknown cluster (abi.md 11)", [
    ["x-callout", "grpc"],
    ["x-cluster", "nowhere"],
  ]),
  call("refuses a callout timeout of 2^31 ms", [["x-callout", "http-timeout-too-large"]]),
  call("delivers a raw callout's answer to the root", [["x-callout", "raw"]]),
  call("cannot read the callout response map outside its callback", [["x-callout", "read-call-map"]]),
  call("sends an empty x-user to the callout", [
    ["x-callout", "http"],
    ["x-user", ""],
  ]),
  call("sends the callout without a client x-user", [["x-callout", "http"]]),
  call("makes a callout with a 5 s timeout", [
    ["x-callout", "http"],
    ["x-timeout", "5000"],
    ["x-user", "dave"],
  ]),
  call("passes a request that asks for no callout", []),
  {
    name: "replies 403 from a denying callout to a POST",
    method: "POST",
    headers: [
      ["x-callout", "http"],
      ["x-cluster", "denied"],
    ],
    body: "client body",
  },
];

export const gotchas: FidelitySetup = {
  name: "gotchas",
  wasm: "build/fixtures/gotchas.wasm",
  callouts: { users: { status: 200, headers: [["x-user-id", "42"]], body: "" } },
};

export const gotchasCases: FidelityCase[] = [
  call("keeps a header snapshot for the response phase", [["x-user", "bob"]]),
  call("looks the user up with a callout and resumes", [
    ["x-gotcha", "lookup"],
    ["x-user", "carol"],
  ]),
  call("rebuilds the request headers from a snapshot", [
    ["x-gotcha", "rebuild"],
    ["x-keep", "1"],
  ]),
  call("looks up a user given in upper case", [
    ["x-gotcha", "lookup"],
    ["X-User", "Erin"],
  ]),
  call("rebuilds the request headers with repeated values", [
    ["x-gotcha", "rebuild"],
    ["x-keep", "1"],
    ["x-keep", "2"],
  ]),
  call("keeps an empty x-user in the snapshot", [["x-user", ""]]),
];

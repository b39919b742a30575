// What both sides share about a case's request: the authority the client uses, the headers it
// sends, and the upstream's default answer.

import { type FidelityCase, type Headers, type ScriptedResponse } from "./types.js";

/** The Host header every client request carries, so `:authority` never depends on a port. */
export const AUTHORITY = "fidelity.test";

/** The upstream's answer when a case scripts none. */
export const DEFAULT_UPSTREAM: ScriptedResponse = { status: 200, headers: [["x-up", "1"]], body: "upstream body" };

/** The headers the client sends after Host: the case's, then content-length for a body. */
export function clientHeaders(testCase: FidelityCase): Headers {
  const headers: Headers = [...(testCase.headers ?? [])];
  if (testCase.body !== undefined) headers.push(["content-length", String(Buffer.byteLength(testCase.body))]);
  return headers;
}

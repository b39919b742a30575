// Requests through the demo chain (envoy-configs/demo.yaml in the harness, bench/demo-chain.ts) for
// the soak and the fault suite: tokens the demo identity provider would mint (signed with the key of
// the JWKS the chain is served), one request with or without a token, and how it ended.

import { type ChainedHttpStream, type FilterChain } from "../../harness/index.js";
import { DEMO_AUDIENCE, DEMO_ISSUER } from "../../cli/dev/demo.js";
import { type Alg, NOW, jwk, keys, token } from "../filters/jwt-authn/support.js";

/** The JWKS the demo identity provider serves (the key bench/demo-chain.ts answers with, kid "demo"). */
export const DEMO_JWKS = JSON.stringify({ keys: [jwk(keys.rsa, { kid: "demo", alg: "RS256", use: "sig" })] });

/** A demo token for `sub` with `role` in tenant acme, valid for two hours from NOW; `header` overrides `{alg, kid}`. */
export function demoToken(
  sub: string,
  role: string,
  header: Record<string, unknown> = { kid: "demo" },
  alg: Alg = "RS256",
): string {
  const claims = { iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, sub, role, tenant: "acme", iat: NOW, exp: NOW + 7200 };
  return token(alg, claims, header);
}

/** Sends `method path` with `Authorization: Bearer <jwt>` (none when null); the upstream answers 200 once reached. */
export function demoRequest(chain: FilterChain, path: string, jwt: string | null, method = "GET"): ChainedHttpStream {
  const stream = chain.newStream();
  const headers: [string, string][] = [
    [":method", method],
    [":path", path],
    [":authority", "127.0.0.1:10000"],
    [":scheme", "http"],
  ];
  if (jwt !== null) headers.push(["authorization", `Bearer ${jwt}`]);
  stream.sendRequestHeaders(headers, true);
  answerUpstream(stream);
  return stream;
}

/** Lets the upstream answer 200 when the request reached it and nobody answered yet. */
export function answerUpstream(stream: ChainedHttpStream): void {
  if (stream.upstreamRequest.headers && !stream.localReply && !stream.completed) {
    stream.sendResponseHeaders([[":status", "200"]], true);
  }
}

/** The status the client got (200 from the upstream), or "paused" while a filter holds the request. */
export function statusOf(stream: ChainedHttpStream): number | "paused" {
  if (stream.localReply) return stream.localReply.status;
  return stream.completed ? 200 : "paused";
}

/** The local reply's body as text ("" without one). */
export function replyText(stream: ChainedHttpStream): string {
  return stream.localReply ? new TextDecoder().decode(stream.localReply.body) : "";
}

// jwt-authn with published example tokens: RFC 7515 appendix A.1 (a JWT with claims, verified end
// to end at its own date) and RFC 7520 sections 4.1 to 4.4 (RS256, PS384, ES512, HS256). The RFC
// 7520 payload is prose, not claims: their signatures verify, so the filter answers with the
// payload error, which it only reports for authentic tokens; one changed bit gives a forgery.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import { builds } from "./jwt-authn/support.js";

// RFC 7515 A.1: HS256, payload {"iss":"joe","exp":1300819380,"http://example.com/is_root":true}.
const A1_TOKEN =
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
  ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" +
  ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const A1_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

type Cookbook = { input: { alg: string; key: Record<string, string> }; output: { compact: string } };

const cookbook: [string, string][] = [
  ["4.1 RS256", "test/vectors/jose-cookbook/jws/4_1.rsa_v15_signature.json"],
  ["4.2 PS384", "test/vectors/jose-cookbook/jws/4_2.rsa-pss_signature.json"],
  ["4.3 ES512", "test/vectors/jose-cookbook/jws/4_3.ecdsa_signature.json"],
  ["4.4 HS256", "test/filters/jwt-authn/vectors/4_4.hmac-sha2_integrity_protection.json"],
];

// The public half of a cookbook key (the HMAC key is secret by nature and kept whole).
function publicJwk(key: Record<string, string>): Record<string, string> {
  const secret = new Set(["d", "p", "q", "dp", "dq", "qi"]);
  return Object.fromEntries(Object.entries(key).filter(([name]) => !secret.has(name)));
}

async function loadAt(wasm: string, seconds: number, jwks: object) {
  const environment = new HostEnvironment({ startTime: BigInt(seconds) * 1_000_000_000n });
  return Plugin.load(wasm, {
    rootId: "jwt-authn",
    environment,
    configuration: {
      providers: { p: { local_jwks: { inline_string: JSON.stringify(jwks) } } },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "p" } }],
    },
  });
}

function answer(plugin: Plugin, jwt: string): string {
  const stream = plugin.newHttpStream();
  stream.sendRequestHeaders(
    [
      [":method", "GET"],
      [":path", "/"],
      [":authority", "a.test"],
      ["authorization", `Bearer ${jwt}`],
    ],
    true,
  );
  return stream.localReply ? new TextDecoder().decode(stream.localReply.body) : "OK";
}

// Flips one bit in the middle of the signature.
function tamper(jwt: string): string {
  const parts = jwt.split(".");
  const sig = Buffer.from(parts[2]!, "base64url");
  sig[sig.length >> 1]! ^= 1;
  return `${parts[0]}.${parts[1]}.${sig.toString("base64url")}`;
}

describe.each(builds)("jwt-authn published vectors (%s)", (wasm) => {
  it("verifies the RFC 7515 A.1 JWT at its date and expires it afterwards", async () => {
    const jwks = { keys: [{ kty: "oct", k: A1_KEY }] };
    expect(answer(await loadAt(wasm, 1_300_819_300, jwks), A1_TOKEN)).toBe("OK");
    expect(answer(await loadAt(wasm, 1_300_819_300, jwks), tamper(A1_TOKEN))).toBe("Jwt verification fails");
    expect(answer(await loadAt(wasm, 1_300_819_380 + 61, jwks), A1_TOKEN)).toBe("Jwt is expired");
  });

  it.each(cookbook)("verifies the signature of RFC 7520 %s", async (_, file) => {
    const vector = JSON.parse(readFileSync(file, "utf8")) as Cookbook;
    const plugin = await loadAt(wasm, 1_700_000_000, { keys: [publicJwk(vector.input.key)] });
    expect(plugin.status).toBe("running");
    expect(answer(plugin, vector.output.compact)).toBe("Jwt payload is an invalid JSON");
    expect(answer(plugin, tamper(vector.output.compact))).toBe("Jwt verification fails");
  });
});

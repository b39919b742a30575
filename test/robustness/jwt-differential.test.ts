// jwt-authn against panva/jose (jwtVerify) on valid and mutated tokens of 13 algorithms: with the
// same keys, issuer, audience and clock, jwt-authn must never let through a token jose rejects.
// jose options mirror jwt-authn's documented semantics (README "Provider"): 60 s clock skew, and
// audiences compared without a leading http(s):// or one trailing "/".

import fc from "fast-check";
import { createLocalJWKSet, type JWTHeaderParameters, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  ALGS,
  allKeysJwks,
  claims,
  keys,
  load,
  NOW,
  simpleConfig,
  statusFor,
  token,
} from "../filters/jwt-authn/support.js";
import { extracted, kidFor, tokenCase, tokenOf } from "./jwt-arbitraries.js";
import { RUNS, timeoutFor } from "./support.js";

const ISSUER = "https://issuer.test";
const AUDIENCES = ["api.test", "https://api.test", "http://api.test"].flatMap((a) => [a, `${a}/`]);

// The JWKS without the HMAC secret (jose's JWKS refuses symmetric algorithms); HS* tokens get the
// secret when their kid is absent or "hmac", as jose's own JWKS matching would.
const jwks = createLocalJWKSet({
  keys: JSON.parse(allKeysJwks()).keys.filter((k: { kty: string }) => k.kty !== "oct"),
});

async function joseAccepts(jwt: string): Promise<{ ok: boolean; code: string }> {
  try {
    await jwtVerify(
      jwt,
      async (header: JWTHeaderParameters, token) => {
        if (typeof header.alg === "string" && header.alg.startsWith("HS")) {
          if (header.kid !== undefined && header.kid !== "hmac") throw new Error("no HMAC key with this kid");
          return new Uint8Array(keys.hmac);
        }
        return jwks(header, token);
      },
      { issuer: ISSUER, audience: AUDIENCES, currentDate: new Date(NOW * 1000), clockTolerance: 60 },
    );
    return { ok: true, code: "" };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
}

// The one documented difference: at exp = now - skew exactly, Envoy's jwt_verify_lib (and
// jwt-authn, which follows it) still accepts, since it rejects only when now > exp + skew; jose
// rejects once now - tolerance >= exp, as RFC 7519 4.1.4 says a token expires "on or after" exp.
function expiresAtTheSkewBoundary(payload: string, joseCode: string): boolean {
  return joseCode === "ERR_JWT_EXPIRED" && (JSON.parse(payload) as { exp?: unknown }).exp === NOW - 60;
}

describe("jwt-authn against jose", async () => {
  const plugin = await load("build/jwt-authn.wasm", simpleConfig());

  it("accepts the unmutated tokens jose accepts, for every algorithm", async () => {
    for (const alg of ALGS) {
      const jwt = token(alg, undefined, { kid: kidFor(alg) });
      expect((await joseAccepts(jwt)).ok, alg).toBe(true);
      expect(statusFor(plugin, jwt), alg).toBe(200);
    }
  });

  it("accepts a token whose exp is exactly now - 60 s, like Envoy, where jose rejects it", async () => {
    const jwt = token("HS384", claims({ exp: NOW - 60 }), { kid: "hmac" });
    expect(statusFor(plugin, jwt)).toBe(200);
    expect(await joseAccepts(jwt)).toEqual({ ok: false, code: "ERR_JWT_EXPIRED" });
    expect(statusFor(plugin, token("HS384", claims({ exp: NOW - 61 }), { kid: "hmac" }))).toBe(401);
  });

  it(
    `never lets through a token jose rejects (${RUNS} cases)`,
    async () => {
      let passed = 0;
      await fc.assert(
        fc.asyncProperty(tokenCase, async (c) => {
          const jwt = tokenOf(c);
          const status = statusFor(plugin, jwt);
          expect(plugin.trap).toBeNull();
          if (status !== 200) return;
          passed++;
          const jose = await joseAccepts(extracted(jwt));
          if (expiresAtTheSkewBoundary(c.payload, jose.code)) return;
          expect(jose, `jwt-authn let through ${jwt}`).toEqual({ ok: true, code: "" });
        }),
        { numRuns: RUNS },
      );
      // The generator keeps enough tokens valid for the comparison to mean something.
      expect(passed).toBeGreaterThan(RUNS / 25);
    },
    timeoutFor(20),
  );
});

// ES256, ES384 and ES512 verification per token: ours (inside the module, from the JWK's x and y)
// against node:crypto's verify with a KeyObject on the same key and JWT-sized signing input, for a
// key used again (the common case: one JWKS key signs many tokens; ours prepares it once) and
// one-shot, with eight keys taking turns, more than the four a curve keeps (ours checks each key
// and builds its table every time); and the release size of a module that only verifies ES256.

import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { buildCryptoLibrary, releaseSizeAdded, SIZE_BUDGET_BYTES } from "../crypto-support.js";

interface Ecdsa {
  verify(curve: number, x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

// The verify function of a release filter; releaseSizeAdded's difference is what ECDSA, P-256 arithmetic and SHA-2 add.
const ES256 = `import { Curve, verifyEcdsa } from "../../assembly/crypto/ec/ecdsa";
export function verify(x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyEcdsa(Curve.P256, x, y, message, signature);
}
`;

// Keys taking turns for the one-shot figure: more than the four the module keeps per curve.
const TURNS = 8;

export default async function cryptoEcdsa(): Promise<Case[]> {
  const ours = await buildCryptoLibrary<Ecdsa>("ecdsa");
  const message = Buffer.from(`${randomBytes(27).toString("base64url")}.${randomBytes(220).toString("base64url")}`);
  const cases: Case[] = [];
  for (const [alg, curve, namedCurve, hash, iterations] of [
    ["ES256", 0, "P-256", "sha256", 400],
    ["ES384", 1, "P-384", "sha384", 100],
    ["ES512", 2, "P-521", "sha512", 50],
  ] as const) {
    const signed = Array.from({ length: TURNS }, () => signedBy(namedCurve, hash, message));
    for (const { x, y, key, signature } of signed) {
      if (!ours.verify(curve, x, y, message, signature) || !verify(hash, message, key, signature)) {
        throw new Error(`${alg} did not verify`);
      }
    }
    const first = signed[0]!;
    const again = pairedNanoseconds(
      () => ours.verify(curve, first.x, first.y, message, first.signature),
      () => verify(hash, message, first.key, first.signature),
      iterations,
    );
    cases.push(pairedCase(`crypto.verify.${alg}`, "ns/verify", again));
    let turn = 0;
    let nodeTurn = 0;
    const alternating = pairedNanoseconds(
      () => {
        const k = signed[turn++ % TURNS]!;
        if (!ours.verify(curve, k.x, k.y, message, k.signature)) throw new Error(`${alg} did not verify`);
      },
      () => {
        const k = signed[nodeTurn++ % TURNS]!;
        if (!verify(hash, message, k.key, k.signature)) throw new Error(`${alg} did not verify`);
      },
      iterations,
    );
    cases.push(pairedCase(`crypto.verify.${alg}.one-shot`, "ns/verify", alternating));
  }
  const added = await releaseSizeAdded("es256", ES256);
  cases.push(ratioCase("size.crypto.ecdsa-es256", "bytes", added, SIZE_BUDGET_BYTES));
  return cases;
}

// A new key pair's JWK coordinates and KeyObject, and its P1363 signature of `message`.
function signedBy(namedCurve: string, hash: string, message: Buffer) {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve });
  const jwk = publicKey.export({ format: "jwk" });
  return {
    x: Buffer.from(jwk.x!, "base64url"),
    y: Buffer.from(jwk.y!, "base64url"),
    key: { key: publicKey, dsaEncoding: "ieee-p1363" } as const,
    signature: sign(hash, message, { key: privateKey, dsaEncoding: "ieee-p1363" }),
  };
}

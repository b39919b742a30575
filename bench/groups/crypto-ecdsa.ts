// ES256, ES384 and ES512 verification per token: ours (inside the module, from the JWK's x and y)
// against node:crypto's verify with a KeyObject on the same key and JWT-sized signing input; and the
// release size of a module that only verifies ES256.

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

export default async function cryptoEcdsa(): Promise<Case[]> {
  const ours = await buildCryptoLibrary<Ecdsa>("ecdsa");
  const message = Buffer.from(`${randomBytes(27).toString("base64url")}.${randomBytes(220).toString("base64url")}`);
  const cases: Case[] = [];
  for (const [alg, curve, namedCurve, hash, iterations] of [
    ["ES256", 0, "P-256", "sha256", 400],
    ["ES384", 1, "P-384", "sha384", 100],
    ["ES512", 2, "P-521", "sha512", 50],
  ] as const) {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve });
    const jwk = publicKey.export({ format: "jwk" });
    const x = Buffer.from(jwk.x!, "base64url");
    const y = Buffer.from(jwk.y!, "base64url");
    const signature = sign(hash, message, { key: privateKey, dsaEncoding: "ieee-p1363" });
    const key = { key: publicKey, dsaEncoding: "ieee-p1363" } as const;
    if (!ours.verify(curve, x, y, message, signature) || !verify(hash, message, key, signature)) {
      throw new Error(`${alg} did not verify`);
    }
    const paired = pairedNanoseconds(
      () => ours.verify(curve, x, y, message, signature),
      () => verify(hash, message, key, signature),
      iterations,
    );
    cases.push(pairedCase(`crypto.verify.${alg}`, "ns/verify", paired));
  }
  const added = await releaseSizeAdded("es256", ES256);
  cases.push(ratioCase("size.crypto.ecdsa-es256", "bytes", added, SIZE_BUDGET_BYTES));
  return cases;
}

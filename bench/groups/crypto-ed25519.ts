// EdDSA (Ed25519) verification per token: ours (inside the module, called through its bindings)
// against node:crypto's verify with a prepared KeyObject on the same key, JWT-sized signing input
// and signature; and what verifying EdDSA adds to a release filter module.

import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { buildCryptoLibrary, releaseSizeAdded, SIZE_BUDGET_BYTES } from "../crypto-support.js";

const ITERATIONS = 2_000;

interface Ed25519 {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

// The verify function of a release filter; releaseSizeAdded's difference is what Ed25519 and SHA-512 add.
const EDDSA = `import { verifyEd25519 } from "../../assembly/crypto/ed25519/verify";
export function verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyEd25519(key, message, signature);
}
`;

export default async function cryptoEd25519(): Promise<Case[]> {
  const ours = await buildCryptoLibrary<Ed25519>("ed25519");
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const rawKey = new Uint8Array(Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url"));
  const message = new TextEncoder().encode(`eyJhbGciOiJFZERTQSJ9.${randomBytes(200).toString("base64url")}`);
  const signature = new Uint8Array(sign(null, message, privateKey));
  if (!ours.verify(rawKey, message, signature)) throw new Error("EdDSA did not verify");
  const paired = pairedNanoseconds(
    () => ours.verify(rawKey, message, signature),
    () => verify(null, message, publicKey, signature),
    ITERATIONS,
  );
  const added = await releaseSizeAdded("eddsa", EDDSA);
  return [
    pairedCase("crypto.verify.EdDSA", "ns/verify", paired),
    ratioCase("size.crypto.ed25519", "bytes", added, SIZE_BUDGET_BYTES),
  ];
}

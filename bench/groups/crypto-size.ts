// What the whole set of verification primitives (HMAC, RSA PKCS#1 v1.5 and PSS, ECDSA, Ed25519,
// and the SHA-2 they share) adds to a release filter module, against the 48 KB budget.

import { type Case, ratioCase } from "../case.js";
import { releaseSizeAdded, SIZE_BUDGET_BYTES } from "../crypto-support.js";

// Every primitive is reachable from the export, so none of them is dropped by the optimizer.
const ALL = `import { verifyHmac } from "../../assembly/crypto/hmac";
import { verifyRsaPkcs1, verifyRsaPss } from "../../assembly/crypto/rsa";
import { Curve, verifyEcdsa } from "../../assembly/crypto/ec/ecdsa";
import { verifyEd25519 } from "../../assembly/crypto/ed25519/verify";
import { HashAlgorithm } from "../../assembly/crypto/sha2";
export function verify(secret: Uint8Array, n: Uint8Array, e: Uint8Array, x: Uint8Array, y: Uint8Array, edKey: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return (
    verifyHmac(HashAlgorithm.Sha256, secret, message, signature) ||
    verifyRsaPkcs1(HashAlgorithm.Sha256, n, e, message, signature) ||
    verifyRsaPss(HashAlgorithm.Sha256, n, e, message, signature) ||
    verifyEcdsa(Curve.P256, x, y, message, signature) ||
    verifyEd25519(edKey, message, signature)
  );
}
`;

export default async function cryptoSize(): Promise<Case[]> {
  const added = await releaseSizeAdded("crypto-all", ALL);
  return [ratioCase("size.crypto.all", "bytes", added, SIZE_BUDGET_BYTES)];
}

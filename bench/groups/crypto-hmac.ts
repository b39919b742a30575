// HS256/HS384/HS512 verification per token: ours (inside the module, key prepared once as a
// filter keeps it) against node:crypto's createHmac + timingSafeEqual on the same key and a
// JWT-sized signing input; and the release size of a module that only verifies HS256.

import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from "node:crypto";
import { type Case, nanosecondsPerIteration, pairedNanoseconds, ratioCase } from "../case.js";
import { buildCryptoLibrary, releaseSizeAdded, SIZE_BUDGET_BYTES } from "../crypto-support.js";

const ITERATIONS = 50_000;

interface Hmac {
  prepare(algorithm: number, key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  verifyPrepared(): boolean;
  verifyPreparedOneShot(): boolean;
}

// The verify function of a release filter; releaseSizeAdded's difference is what HMAC and SHA-2 add.
const HS256 = `import { verifyHmac } from "../../assembly/crypto/hmac";
import { HashAlgorithm } from "../../assembly/crypto/sha2";
export function verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyHmac(HashAlgorithm.Sha256, key, message, signature);
}
`;

export default async function cryptoHmac(): Promise<Case[]> {
  const ours = await buildCryptoLibrary<Hmac>("hmac");
  const cases: Case[] = [];
  for (const [alg, size] of [
    ["HS256", 256],
    ["HS384", 384],
    ["HS512", 512],
  ] as const) {
    const key = randomBytes(size / 8);
    const secret = createSecretKey(key);
    const message = randomBytes(300);
    const signature = createHmac(`sha${size}`, key).update(message).digest();
    if (!ours.prepare(size, key, message, signature) || !ours.verifyPrepared())
      throw new Error(`${alg} did not verify`);
    const { subject: prepared, baseline: node } = pairedNanoseconds(
      () => ours.verifyPrepared(),
      () => timingSafeEqual(createHmac(`sha${size}`, secret).update(message).digest(), signature),
      ITERATIONS,
    );
    const oneShot = nanosecondsPerIteration(() => ours.verifyPreparedOneShot(), ITERATIONS);
    cases.push(ratioCase(`crypto.verify.${alg}`, "ns/verify", prepared, node));
    cases.push(ratioCase(`crypto.verify.${alg}.one-shot`, "ns/verify", oneShot, node));
  }
  const added = await releaseSizeAdded("hs256", HS256);
  cases.push(ratioCase("size.crypto.hmac-sha256", "bytes", added, SIZE_BUDGET_BYTES));
  return cases;
}

// RS256 and PS256 verification per token with a 2048-bit key: ours (inside the module, key prepared
// once as a JWKS cache keeps it, and one-shot from n and e; also built without wasm SIMD, ".scalar")
// against node:crypto's verify with a KeyObject on the same key and JWT-sized signing input; and the
// release size of a module that only verifies RS256.

import { constants, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { type Case, nanosecondsPerIteration, pairedNanoseconds, ratioCase } from "../case.js";
import { buildCryptoLibrary, releaseSizeAdded, SIZE_BUDGET_BYTES } from "../crypto-support.js";

const ITERATIONS = 500;

type Verify = (hash: number, n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
interface Rsa {
  pkcs1: Verify;
  pss: Verify;
  prepare(n: Uint8Array, e: Uint8Array): boolean;
  preparedPkcs1(hash: number, message: Uint8Array, signature: Uint8Array): boolean;
  preparedPss(hash: number, message: Uint8Array, signature: Uint8Array): boolean;
}

// The verify function of a release filter; releaseSizeAdded's difference is what RSA, Montgomery arithmetic and SHA-256 add.
const RS256 = `import { verifyRsaPkcs1 } from "../../assembly/crypto/rsa";
import { HashAlgorithm } from "../../assembly/crypto/sha2";
export function verify(n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyRsaPkcs1(HashAlgorithm.Sha256, n, e, message, signature);
}
`;

export default async function cryptoRsa(): Promise<Case[]> {
  const ours = await buildCryptoLibrary<Rsa>("rsa");
  const scalar = await buildCryptoLibrary<Rsa>("rsa", true);
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const n = Buffer.from(jwk.n!, "base64url");
  const e = Buffer.from(jwk.e!, "base64url");
  const message = Buffer.from(`${randomBytes(27).toString("base64url")}.${randomBytes(220).toString("base64url")}`);
  if (!ours.prepare(n, e) || !scalar.prepare(n, e)) throw new Error("the 2048-bit key was refused");
  const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const cases: Case[] = [];
  for (const [alg, signature, prepared, oneShot, preparedScalar, node] of [
    [
      "RS256",
      sign("sha256", message, privateKey),
      ours.preparedPkcs1,
      ours.pkcs1,
      scalar.preparedPkcs1,
      (s: Buffer) => verify("sha256", message, publicKey, s),
    ],
    [
      "PS256",
      sign("sha256", message, { ...pss, key: privateKey }),
      ours.preparedPss,
      ours.pss,
      scalar.preparedPss,
      (s: Buffer) => verify("sha256", message, pss, s),
    ],
  ] as const) {
    const verifies = [prepared(0, message, signature), oneShot(0, n, e, message, signature), node(signature)];
    if (!verifies.every(Boolean) || !preparedScalar(0, message, signature)) throw new Error(`${alg} did not verify`);
    const { subject: value, baseline } = pairedNanoseconds(
      () => prepared(0, message, signature),
      () => node(signature),
      ITERATIONS,
    );
    const single = nanosecondsPerIteration(() => oneShot(0, n, e, message, signature), ITERATIONS);
    const scalarTime = nanosecondsPerIteration(() => preparedScalar(0, message, signature), ITERATIONS);
    cases.push(ratioCase(`crypto.verify.${alg}`, "ns/verify", value, baseline));
    cases.push(ratioCase(`crypto.verify.${alg}.one-shot`, "ns/verify", single, baseline));
    cases.push(ratioCase(`crypto.verify.${alg}.scalar`, "ns/verify", scalarTime, baseline));
  }
  const added = await releaseSizeAdded("rs256", RS256);
  cases.push(ratioCase("size.crypto.rsa-rs256", "bytes", added, SIZE_BUDGET_BYTES));
  return cases;
}

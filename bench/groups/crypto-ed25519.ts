// EdDSA (Ed25519) verification per token: ours (inside the module, called through its bindings)
// against node:crypto's verify with a prepared KeyObject on the same key, JWT-sized signing input
// and signature; and what verifying EdDSA adds to a release filter module.

import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { compile } from "../../cli/build.js";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";

const ITERATIONS = 2_000;
const SIZE_BUDGET_BYTES = 48 * 1024;

interface Ed25519 {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

const run = promisify(execFile);
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");

// A pass-through filter exporting one verify function: with EdDSA and with a stand-in, so that the
// difference is what Ed25519 and SHA-512 add to a release module.
const FILTER = `export * from "../../assembly/abi/exports";
import { HttpContext, RootContext, registerRootContext } from "../../assembly";
class PassThroughRoot extends RootContext {
  newHttpContext(contextId: u32): HttpContext | null {
    return new HttpContext(contextId, this.id);
  }
}
registerRootContext((id: u32) => new PassThroughRoot(id));
`;
const EDDSA = `import { verifyEd25519 } from "../../assembly/crypto/ed25519/verify";
export function verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyEd25519(key, message, signature);
}
`;
const STAND_IN = `export function verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return key.length + message.length == signature.length;
}
`;

async function releaseSize(name: string, source: string): Promise<number> {
  const entry = join("build", "bench", `${name}.ts`);
  writeFileSync(entry, FILTER + source);
  const outFile = join("build", "bench", `${name}.wasm`);
  await compile(entry, outFile, "release");
  return statSync(outFile).size;
}

export default async function cryptoEd25519(): Promise<Case[]> {
  mkdirSync(join("build", "bench"), { recursive: true });
  const library = join("build", "bench", "ed25519.wasm");
  const config = join("test", "crypto", "asconfig.json");
  await run(process.execPath, [
    ASC,
    join("test", "crypto", "entries", "ed25519.ts"),
    "--config",
    config,
    "-o",
    library,
  ]);
  const ours = (await import(pathToFileURL(resolve(library.replace(/\.wasm$/, ".js"))).href)) as Ed25519;
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const rawKey = new Uint8Array(Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url"));
  const message = new TextEncoder().encode(`eyJhbGciOiJFZERTQSJ9.${randomBytes(200).toString("base64url")}`);
  const signature = new Uint8Array(sign(null, message, privateKey));
  if (!ours.verify(rawKey, message, signature)) throw new Error("EdDSA did not verify");
  const node = nanosecondsPerIteration(() => verify(null, message, publicKey, signature), ITERATIONS);
  const value = nanosecondsPerIteration(() => ours.verify(rawKey, message, signature), ITERATIONS);
  const eddsa = await releaseSize("eddsa-filter", EDDSA);
  const empty = await releaseSize("eddsa-stand-in", STAND_IN);
  return [
    ratioCase("crypto.verify.EdDSA", "ns/verify", value, node),
    ratioCase("size.crypto.ed25519", "bytes", eddsa - empty, SIZE_BUDGET_BYTES),
  ];
}

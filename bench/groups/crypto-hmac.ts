// HS256/HS384/HS512 verification per token: ours (inside the module, key prepared once as a
// filter keeps it) against node:crypto's createHmac + timingSafeEqual on the same key and a
// JWT-sized signing input; and the release size of a module that only verifies HS256.

import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { compile } from "../../cli/build.js";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";

const ITERATIONS = 50_000;
const SIZE_BUDGET_BYTES = 48 * 1024;

interface Hmac {
  prepare(algorithm: number, key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  verifyPrepared(): boolean;
  verifyPreparedOneShot(): boolean;
}

const run = promisify(execFile);
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");

async function build(entry: string, outFile: string, args: string[]): Promise<void> {
  await run(process.execPath, [ASC, entry, ...args, "--outFile", outFile]);
}

// A pass-through filter exporting one verify function: with HS256 and with a stand-in, so that the
// difference is what HMAC and SHA-2 add to a release module.
const FILTER = `export * from "../../assembly/abi/exports";
import { HttpContext, RootContext, registerRootContext } from "../../assembly";
class PassThroughRoot extends RootContext {
  newHttpContext(contextId: u32): HttpContext | null {
    return new HttpContext(contextId, this.id);
  }
}
registerRootContext((id: u32) => new PassThroughRoot(id));
`;
const HS256 = `import { verifyHmac } from "../../assembly/crypto/hmac";
import { HashAlgorithm } from "../../assembly/crypto/sha2";
export function verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyHmac(HashAlgorithm.Sha256, key, message, signature);
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

export default async function cryptoHmac(): Promise<Case[]> {
  mkdirSync(join("build", "bench"), { recursive: true });
  const library = join("build", "bench", "hmac.wasm");
  await build(join("test", "crypto", "entries", "hmac.ts"), library, [
    "--config",
    join("test", "crypto", "asconfig.json"),
  ]);
  const ours = (await import(pathToFileURL(resolve(library.replace(/\.wasm$/, ".js"))).href)) as Hmac;
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
    const node = nanosecondsPerIteration(() => {
      timingSafeEqual(createHmac(`sha${size}`, secret).update(message).digest(), signature);
    }, ITERATIONS);
    const prepared = nanosecondsPerIteration(() => ours.verifyPrepared(), ITERATIONS);
    const oneShot = nanosecondsPerIteration(() => ours.verifyPreparedOneShot(), ITERATIONS);
    cases.push(ratioCase(`crypto.verify.${alg}`, "ns/verify", prepared, node));
    cases.push(ratioCase(`crypto.verify.${alg}.one-shot`, "ns/verify", oneShot, node));
  }
  const hs256 = await releaseSize("hs256-filter", HS256);
  const empty = await releaseSize("hs256-stand-in", STAND_IN);
  cases.push(ratioCase("size.crypto.hmac-sha256", "bytes", hs256 - empty, SIZE_BUDGET_BYTES));
  return cases;
}

// ES256, ES384 and ES512 verification per token: ours (inside the module, from the JWK's x and y)
// against node:crypto's verify with a KeyObject on the same key and JWT-sized signing input; and the
// release size of a module that only verifies ES256.

import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { compile } from "../../cli/build.js";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";

const SIZE_BUDGET_BYTES = 48 * 1024;

interface Ecdsa {
  verify(curve: number, x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

const run = promisify(execFile);
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");

// A pass-through filter exporting one verify function: with ES256 and with a stand-in, so that the
// difference is what ECDSA, P-256 arithmetic and SHA-2 add to a release module.
const FILTER = `export * from "../../assembly/abi/exports";
import { HttpContext, RootContext, registerRootContext } from "../../assembly";
class PassThroughRoot extends RootContext {
  newHttpContext(contextId: u32): HttpContext | null {
    return new HttpContext(contextId, this.id);
  }
}
registerRootContext((id: u32) => new PassThroughRoot(id));
`;
const ES256 = `import { Curve, verifyEcdsa } from "../../assembly/crypto/ec/ecdsa";
export function verify(x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyEcdsa(Curve.P256, x, y, message, signature);
}
`;
const STAND_IN = `export function verify(x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return x.length + y.length + message.length == signature.length;
}
`;

async function releaseSize(name: string, source: string): Promise<number> {
  const entry = join("build", "bench", `${name}.ts`);
  writeFileSync(entry, FILTER + source);
  const outFile = join("build", "bench", `${name}.wasm`);
  await compile(entry, outFile, "release");
  return statSync(outFile).size;
}

export default async function cryptoEcdsa(): Promise<Case[]> {
  mkdirSync(join("build", "bench"), { recursive: true });
  const library = join("build", "bench", "ecdsa.wasm");
  await run(process.execPath, [
    ASC,
    join("test", "crypto", "entries", "ecdsa.ts"),
    "--config",
    join("test", "crypto", "asconfig.json"),
    "--outFile",
    library,
  ]);
  const ours = (await import(pathToFileURL(resolve(library.replace(/\.wasm$/, ".js"))).href)) as Ecdsa;
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
    const baseline = nanosecondsPerIteration(() => verify(hash, message, key, signature), iterations);
    const value = nanosecondsPerIteration(() => ours.verify(curve, x, y, message, signature), iterations);
    cases.push(ratioCase(`crypto.verify.${alg}`, "ns/verify", value, baseline));
  }
  const es256 = await releaseSize("es256-filter", ES256);
  const empty = await releaseSize("es256-stand-in", STAND_IN);
  cases.push(ratioCase("size.crypto.ecdsa-es256", "bytes", es256 - empty, SIZE_BUDGET_BYTES));
  return cases;
}

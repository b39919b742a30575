// Writes the unrolled P-256 arithmetic under assembly/crypto/ec/ (`npm run generate:crypto`):
// straight-line code with every word in a local is what lets the engine keep them in registers,
// and writing it by hand invites slips that only rare carries would reveal.
// test/crypto/kernels.test.ts re-runs this in memory and fails when a committed file differs.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { p256Linear, p256Montgomery } from "./kernels/p256-field.js";
import { p256Order } from "./kernels/p256-order.js";

const OUTPUT = join("assembly", "crypto", "ec");

/** Every generated file: its path from the repository root and its prettier-formatted content. */
export async function generateCryptoKernels(): Promise<Map<string, string>> {
  const sources: [string, string][] = [
    ["p256-multiply.ts", p256Montgomery(false)],
    ["p256-square.ts", p256Montgomery(true)],
    ["p256-linear.ts", p256Linear()],
    ["p256-order-multiply.ts", p256Order(false)],
    ["p256-order-square.ts", p256Order(true)],
  ];
  const files = new Map<string, string>();
  for (const [name, source] of sources) {
    const path = join(OUTPUT, name);
    const options = await resolveConfig(path);
    files.set(path, await format(source, { ...options, filepath: path }));
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, content] of await generateCryptoKernels()) {
    writeFileSync(path, content);
    console.log(`wrote ${path}`);
  }
}

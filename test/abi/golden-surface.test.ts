// Every built filter's wasm imports and exports, compared with a committed list on every run, so
// an accidental import Envoy does not provide (env.abort, env.seed, ...) fails review.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readModuleInfo } from "../../harness/index.js";

const filters = readdirSync("filters", { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

function surface(path: string): string {
  const info = readModuleInfo(readFileSync(path));
  const imports = info.imports.map((i) => `import ${i.module}.${i.name} ${i.kind} ${i.signature ?? ""}`.trim());
  const exports = info.exports.map((e) => `export ${e.name} ${e.kind} ${e.signature ?? ""}`.trim());
  return [...imports.sort(), ...exports.sort()].join("\n") + "\n";
}

describe.each(filters)("filters/%s", (filter) => {
  it("release build has exactly the committed imports and exports", async () => {
    await expect(surface(join("build", `${filter}.wasm`))).toMatchFileSnapshot(join("golden", `${filter}.abi.txt`));
  });

  it("debug build has the same imports and exports as the release build", () => {
    expect(surface(join("build", `${filter}.debug.wasm`))).toBe(surface(join("build", `${filter}.wasm`)));
  });

  it("imports only env.proxy_* functions and WASI functions Envoy provides", () => {
    const info = readModuleInfo(readFileSync(join("build", `${filter}.wasm`)));
    for (const entry of info.imports) {
      const allowed =
        (entry.module === "env" && entry.name.startsWith("proxy_")) ||
        entry.module === "wasi_snapshot_preview1" ||
        entry.module === "wasi_unstable";
      expect(allowed, `${entry.module}.${entry.name}`).toBe(true);
    }
  });
});

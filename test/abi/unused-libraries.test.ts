// The SDK entry point re-exports libraries (regex, matchers, CEL and Envoy attributes, JOSE crypto)
// that many modules never call; a module must carry none of the code it does not use. A library whose top-level
// code runs at start (a global built with `new`, an array literal) would pull itself into every
// filter, so its functions would show up in the debug build's name section.

import { readFileSync } from "node:fs";
import wabt from "wabt";
import { describe, expect, it } from "vitest";

const LIBRARIES = /^\$(assembly\/(regex|matchers|cel|cel-attributes|crypto)\/)/;
const CRYPTO = /^\$assembly\/crypto\//;

async function functionNames(path: string): Promise<string[]> {
  const module = (await wabt()).readWasm(readFileSync(path), { readDebugNames: true });
  try {
    module.applyNames();
    const text = module.toText({});
    return [...text.matchAll(/\(func (\$[^\s()]+)/g)].map((m) => m[1]!);
  } finally {
    module.destroy();
  }
}

describe("libraries a module does not use", () => {
  it("add no function to a module that imports the SDK but calls none of them", async () => {
    const names = await functionNames("build/fixtures/json-config.debug.wasm");
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((n) => LIBRARIES.test(n) && !n.endsWith("~visit"))).toEqual([]);
  });

  it("add no crypto to header-rewrite, which uses regex, matchers and CEL but no JOSE", async () => {
    const names = await functionNames("build/header-rewrite.debug.wasm");
    expect(names.some((n) => n.startsWith("$assembly/regex/"))).toBe(true);
    expect(names.filter((n) => CRYPTO.test(n) && !n.endsWith("~visit"))).toEqual([]);
  });
});

// Loads an AssemblyScript library built by test/global-setup.ts from test/crypto/entries/<name>.ts
// (asc's ESM bindings turn Uint8Array, string and number arguments into guest values).

import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Imports build/crypto/<name>.js, typed as `T` by the caller. */
export async function library<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(resolve(join("build", "crypto", `${name}.js`))).href)) as T;
}

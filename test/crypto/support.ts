// Loads an AssemblyScript library built by test/global-setup.ts from test/<group>/entries/<name>.ts
// (asc's ESM bindings turn Uint8Array, string and number arguments into guest values).

import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Imports build/<group>/<name>.js, typed as `T` by the caller. */
export async function library<T>(name: string, group = "crypto"): Promise<T> {
  return (await import(pathToFileURL(resolve(join("build", group, `${name}.js`))).href)) as T;
}

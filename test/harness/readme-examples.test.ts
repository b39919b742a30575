// Runs every `ts` block of harness/README.md as its own module, so the documented examples keep
// working: each is written under build/readme-examples/ with the package import pointed at the
// harness sources, then imported; a failed assertion in an example fails its test.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const README = "harness/README.md";
const OUT = "build/readme-examples";
const HARNESS = resolve("harness/index.js");

interface Example {
  section: string;
  line: number;
  code: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  let section = "";
  let block: Example | null = null;
  readFileSync(README, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (block) {
        if (text === "```") {
          found.push(block);
          block = null;
        } else block.code += `${text}\n`;
      } else if (text.startsWith("## ")) section = text.slice(3);
      else if (text === "```ts") block = { section, line: i + 1, code: "" };
    });
  return found;
}

const all = examples();

describe("harness/README.md examples", () => {
  it("has a runnable example in every section", () => {
    const sections = readFileSync(README, "utf8")
      .match(/^## .*/gm)!
      .map((h) => h.slice(3));
    expect(new Set(all.map((e) => e.section))).toEqual(new Set(sections));
  });

  it.each(all.map((e) => [`${e.section} (line ${e.line})`, e] as const))("%s runs", async (_, example) => {
    expect(example.code).toContain('from "envoy-as/harness"');
    mkdirSync(OUT, { recursive: true });
    const file = resolve(join(OUT, `line-${example.line}.ts`));
    writeFileSync(file, example.code.replaceAll('"envoy-as/harness"', JSON.stringify(HARNESS)));
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });
});

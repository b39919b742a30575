// The fidelity README lists every normalisation the runner applies, by name, so the report a
// reviewer reads cannot drift from the code.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NORMALISATIONS } from "./normalise.js";

describe("fidelity README", () => {
  it("lists every normalisation with its reason", () => {
    const readme = readFileSync("test/fidelity/README.md", "utf8");
    const missing = NORMALISATIONS.filter((n) => !readme.includes(`**${n.name}**: ${n.reason}`)).map((n) => n.name);
    expect(missing).toEqual([]);
  });
});

// filters/jwt-authn/README.md documents the configuration the schema describes: every field the
// schema names appears in a code span of the README (a table row such as `from_headers[{name,
// value_prefix}]`, or the Istio rule list), so the schema cannot gain a field the README lacks.

import { describe, expect, it } from "vitest";
import { undocumentedFields } from "./schema-fields.js";

describe("jwt-authn README", () => {
  it("documents every configuration field in config.schema.json", () => {
    const { missing, total } = undocumentedFields("jwt-authn");
    expect(total).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});

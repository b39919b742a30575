// The typed JSON configuration reader (assembly/json/reader.ts) through the json-config fixture:
// typed reads with defaults, and the first error named by its JSON path.

import { describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { builds, logged } from "./support.js";

describe.each(builds("json-config"))("JsonReader (%s)", (wasm) => {
  const load = (configuration: object) => Plugin.load(wasm, { configuration });

  it("reads required and optional fields, with defaults for absent ones", async () => {
    const full = await load({
      issuer: "https://issuer.test",
      audiences: ["a", "b"],
      leeway_seconds: 5,
      strict: false,
      rules: [{ path: "/admin" }, { path: "/public", action: "allow" }],
    });
    expect(full.status).toBe("running");
    expect(logged(full, "configured")[0]).toBe(
      "configured issuer=https://issuer.test audiences=a,b leeway=5.0 strict=false rules=/admin=deny,/public=allow",
    );
    const minimal = await load({ issuer: "i" });
    expect(logged(minimal, "configured")[0]).toBe("configured issuer=i audiences= leeway=30.0 strict=true rules=");
  });

  it.each([
    [{}, "issuer: is required"],
    [{ issuer: 7 }, "issuer: must be a string, got number"],
    [{ issuer: "i", audiences: "a" }, "audiences: must be an array, got string"],
    [{ issuer: "i", audiences: ["a", null] }, "audiences[1]: must be a string, got null"],
    [{ issuer: "i", leeway_seconds: "5" }, "leeway_seconds: must be a number, got string"],
    [{ issuer: "i", strict: 1 }, "strict: must be a boolean, got number"],
    [{ issuer: "i", rules: [{ path: "/" }, { action: "allow" }] }, "rules[1].path: is required"],
    [{ issuer: "i", rules: [{ path: "/", action: 1 }] }, "rules[0].action: must be a string, got number"],
    [{ issuer: "i", rules: [[]] }, "rules[0]: must be an object, got array"],
    [{ issuer: "i", issuers: [] }, "issuers: unknown field"],
    [{ issuer: 1, leeway_seconds: "x" }, "issuer: must be a string, got number"],
  ])("rejects %j with the first error and its path", async (configuration, error) => {
    const plugin = await load(configuration);
    expect(plugin.status).toBe("configure_failed");
    expect(logged(plugin, "rejected")[0]).toBe(`rejected ${error}`);
  });

  it("names the document itself (root) when it is not an object", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "[1]" });
    expect(logged(plugin, "rejected")[0]).toBe("rejected (root): must be an object, got array");
  });
});

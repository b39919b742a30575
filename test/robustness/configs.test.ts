// Hostile configurations for every filter: random JSON, text and bytes, and mutations of the
// envoy-configs/ examples. The filter either runs (and serves a request without trapping) or
// refuses with exactly one log line `<filter>: invalid configuration: <path or parse error>: ...`.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogLevel } from "../../harness/index.js";
import { type ConfigCase, mutatedConfig, randomConfig } from "./config-arbitraries.js";
import { exampleConfiguration, FILTERS, type FilterName, loadFilter, RUNS, timeoutFor, trapOf } from "./support.js";

// Whether `reason` starts with a JSON path into `document` and ": ": "(root)", or a top-level
// member followed by ": ", "." or "[" (member names may hold dots or ": ", so only the start is checked).
function startsWithDocumentPath(reason: string, document: unknown): boolean {
  if (reason.startsWith("(root): ")) return true;
  if (document === null || typeof document !== "object" || Array.isArray(document)) return false;
  return Object.keys(document).some((k) => [": ", ".", "["].some((next) => reason.startsWith(`${k}${next}`)));
}

// Returns whether the plugin ran.
async function checkConfig(filter: FilterName, config: ConfigCase): Promise<boolean> {
  const plugin = await loadFilter(filter, config.text);
  expect(plugin.failure ?? "").not.toMatch(/trap|unreachable|RuntimeError/i);
  if (plugin.status === "running") {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/api/v1/items/1"],
        [":authority", "api.test"],
        [":scheme", "https"],
      ],
      true,
    );
    if (!stream.completed) stream.complete();
    expect(trapOf(plugin, stream)).toBeNull();
    return true;
  }
  expect(plugin.status).toBe("configure_failed");
  const errors = plugin.logMessages(LogLevel.Error);
  expect(errors).toHaveLength(1);
  const prefix = `${filter}: invalid configuration: `;
  expect(errors[0]!.startsWith(prefix)).toBe(true);
  const reason = errors[0]!.slice(prefix.length);
  if (reason.startsWith("not JSON at byte ")) return false;
  expect(startsWithDocumentPath(reason, config.document), errors[0]).toBe(true);
  return false;
}

describe.each(FILTERS)("%s with hostile configurations", (filter) => {
  it(
    `runs or refuses random JSON, text and bytes with one invalid-configuration line (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(randomConfig, async (config) => void (await checkConfig(filter, config))),
        { numRuns: RUNS },
      );
    },
    timeoutFor(30),
  );

  it(
    `runs or refuses mutations of its example configuration with one line naming a path (${RUNS} cases)`,
    async () => {
      const example = await exampleConfiguration(filter);
      let ran = 0;
      await fc.assert(
        fc.asyncProperty(mutatedConfig(example), async (config) => {
          if (await checkConfig(filter, config)) ran++;
        }),
        { numRuns: RUNS },
      );
      // Both branches are exercised: some mutations are still valid, most are refused.
      expect(ran).toBeGreaterThan(RUNS / 50);
      expect(ran).toBeLessThan(RUNS - RUNS / 50);
    },
    timeoutFor(30),
  );
});

// Found by the mutation property: header-rewrite's example with one header value of about 200,000
// characters. Its template literal was built a character at a time (quadratic), and with the
// minimal runtime the garbage outgrew linear memory while on_configure ran: a trap.
it("header-rewrite runs its example configuration with a header value of 200,000 characters", async () => {
  const document = JSON.parse(await exampleConfiguration("header-rewrite")) as {
    response_headers: { set?: { name: string; value: string } }[];
  };
  document.response_headers[0]!.set!.value = "a".repeat(200_000);
  const text = JSON.stringify(document);
  expect(await checkConfig("header-rewrite", { text, document })).toBe(true);
}, 60_000);

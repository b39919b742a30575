import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { FilterHeadersStatus, LogLevel, Plugin } from "../../harness/index.js";
import { wasmFilterConfiguration } from "../e2e/support/config.js";
import { undocumentedFields } from "./schema-fields.js";

const builds = ["build/header-rewrite.wasm", "build/header-rewrite.debug.wasm"];

// Configurations the filter must reject, with the message naming the field.
const rejected: [object, string][] = [
  [{ request_headers: {} }, "request_headers: must be an array, got object"],
  [{ request_header: [] }, "request_header: unknown field"],
  [{ request_headers: [{ set: { name: "x", value: 1 } }] }, "request_headers[0].set.value: must be a string"],
  [
    { request_headers: [{ set: { name: "bad name", value: "v" } }] },
    'request_headers[0].set.name: is not a valid header name: "bad name"',
  ],
  [
    { request_headers: [{ set: { name: ":method", value: "GET" } }] },
    "request_headers[0].set.name: :method is protected; list it in allow_headers to change it",
  ],
  [
    { response_headers: [{ add: { name: "x", value: "a\r\nb" } }] },
    "response_headers[0].add.value: must not contain control characters",
  ],
  [
    { response_headers: [{ rename_to: "x" }] },
    "response_headers[0].rename_to: unknown operation; must be an object with one of add, add_if_absent, set, overwrite_if_exists, append, remove, remove_matching, rename, copy, dedupe",
  ],
  [
    { response_headers: [{ set: { name: "x", value: "v", extra: true } }] },
    "response_headers[0].set.extra: unknown field",
  ],
  [
    { response_headers: [{ remove: "x", set: {} }] },
    "response_headers[0]: must be an object with one of add, add_if_absent, set, overwrite_if_exists, append, remove, remove_matching, rename, copy, dedupe",
  ],
  [[], "(root): must be an object, got array"],
];

const request: [string, string][] = [
  [":method", "GET"],
  [":path", "/items?id=7"],
  [":authority", "shop.test"],
  ["x-remove-me", "a"],
  ["x-remove-me", "b"],
  ["x-existing", "old"],
];

describe.each(builds)("header-rewrite (%s)", (wasm) => {
  const load = (configuration: string | object) => Plugin.load(wasm, { rootId: "header-rewrite", configuration });

  it("sets, adds and removes request headers in configuration order", async () => {
    const plugin = await load({
      request_headers: [
        { set: { name: "x-existing", value: "new" } },
        { add: { name: "x-added", value: "1" } },
        { add: { name: "x-added", value: "2" } },
        { remove: "x-remove-me" },
        { set: { name: "X-Mixed-Case", value: "lowered name" } },
      ],
    });
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(request, true)).toBe(FilterHeadersStatus.Continue);
    expect(stream.requestHeaders!.all()).toEqual([
      [":method", "GET"],
      [":path", "/items?id=7"],
      [":authority", "shop.test"],
      ["x-existing", "new"],
      ["x-added", "1"],
      ["x-added", "2"],
      ["x-mixed-case", "lowered name"],
    ]);
  });

  it("rewrites response headers and leaves request headers alone when only response rules exist", async () => {
    const plugin = await load({
      response_headers: [{ set: { name: "server", value: "envoy-as" } }, { remove: "x-powered-by" }],
    });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request, true);
    expect(stream.requestHeaders!.all()).toEqual(request);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-powered-by", "php"],
        ["server", "upstream"],
      ],
      true,
    );
    expect(stream.responseHeaders!.all()).toEqual([
      [":status", "200"],
      ["server", "envoy-as"],
    ]);
    expect(stream.completed).toBe(true);
    expect(stream.callbacks).toEqual([
      "proxy_on_context_create",
      "proxy_on_request_headers",
      "proxy_on_response_headers",
      "proxy_on_log",
      "proxy_on_done",
      "proxy_on_delete",
    ]);
  });

  it("accepts an empty configuration and changes nothing", async () => {
    const plugin = await load("");
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request, true);
    expect(stream.requestHeaders!.all()).toEqual(request);
  });

  it.each(rejected)("rejects %j with one log line naming the field", async (configuration, message) => {
    const plugin = await load(configuration);
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages()).toHaveLength(1);
    expect(plugin.logs[0]!.level).toBe(LogLevel.Error);
    expect(plugin.logMessages()[0]).toContain(`header-rewrite: invalid configuration: ${message}`);
    expect(() => plugin.newHttpStream()).toThrow(/not running \(configure_failed\)/);
  });

  it("rejects configuration that is not JSON, naming the byte offset", async () => {
    const plugin = await load('{"request_headers": [}');
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages()).toEqual([
      "header-rewrite: invalid configuration: not JSON at byte 21: unexpected character",
    ]);
  });

  it("rejects duplicate members instead of silently keeping one", async () => {
    const plugin = await load('{"request_headers": [], "request_headers": []}');
    expect(plugin.logMessages()[0]).toContain('duplicate member "request_headers"');
  });
});

describe("header-rewrite config.schema.json", () => {
  const schema = JSON.parse(readFileSync("filters/header-rewrite/config.schema.json", "utf8")) as object;
  const validate = new Ajv2020({ allErrors: true }).compile(schema);

  // Protected names depend on allow_headers: the filter checks that, the schema only shapes.
  const shapes = rejected.filter(([, message]) => !message.includes("is protected"));

  it.each(shapes)("rejects %j, as the filter does", (configuration) => {
    expect(validate(configuration)).toBe(false);
  });

  it.each(builds)("runs its examples (%s)", async (wasm) => {
    for (const example of (schema as { examples: object[] }).examples) {
      const plugin = await Plugin.load(wasm, { rootId: "header-rewrite", configuration: example });
      expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    }
  });

  it("accepts its own examples and the configuration in envoy-configs/header-rewrite.yaml", () => {
    for (const example of (schema as { examples: object[] }).examples) expect(validate(example)).toBe(true);
    const bootstrap = parse(readFileSync("envoy-configs/header-rewrite.yaml", "utf8")) as Record<string, unknown>;
    const configuration = JSON.parse(wasmFilterConfiguration(bootstrap, "header-rewrite")) as object;
    expect(validate(configuration), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("header-rewrite README", () => {
  it("documents every configuration field in config.schema.json", () => {
    const { missing, total } = undocumentedFields("header-rewrite");
    expect(total).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});

// One test per row of the header-rewrite feature matrix (filters.md 3.5, "Target" column), each a
// small configuration doing what the row names.

import { describe, expect, it } from "vitest";
import { builds, load, respond, send, sent, upstream, values, type Req } from "./header-rewrite/support.js";

type Row = { config: object; req: Req; check: (stream: ReturnType<typeof send>) => void };

const rows: [string, Row][] = [
  [
    "add / set / append / add-if-absent / overwrite-if-exists, and remove",
    {
      config: {
        request_headers: [
          { add: { name: "x-a", value: "2" } },
          { set: { name: "x-b", value: "new" } },
          { append: { name: "x-c", value: "2" } },
          { add_if_absent: { name: "x-d", value: "kept?" } },
          { overwrite_if_exists: { name: "x-e", value: "no" } },
          { remove: "x-f" },
        ],
      },
      req: {
        headers: [
          ["x-a", "1"],
          ["x-b", "old"],
          ["x-c", "1"],
          ["x-d", "first"],
          ["x-f", "gone"],
        ],
      },
      check: (s) => {
        const h = upstream(s);
        expect([values(h, "x-a"), values(h, "x-b"), values(h, "x-c"), values(h, "x-d")]).toEqual([
          ["1", "2"],
          ["new"],
          ["1,2"],
          ["first"],
        ]);
        expect([values(h, "x-e"), values(h, "x-f")]).toEqual([[], []]);
      },
    },
  ],
  [
    "remove by name and by matcher (prefix, regex)",
    {
      config: { request_headers: [{ remove: "x-a" }, { remove_matching: { safe_regex: { regex: "x-tmp-[0-9]+" } } }] },
      req: {
        headers: [
          ["x-a", "1"],
          ["x-tmp-1", "1"],
          ["x-tmp-x", "kept"],
        ],
      },
      check: (s) => expect(upstream(s).filter(([k]) => !k.startsWith(":"))).toEqual([["x-tmp-x", "kept"]]),
    },
  ],
  [
    "rename, map/copy, dedupe",
    {
      config: {
        request_headers: [
          { rename: { from: "x-old", to: "x-new" } },
          { copy: { from: "x-new", to: "x-copy" } },
          { dedupe: { name: "x-dup", strategy: "RETAIN_UNIQUE" } },
        ],
      },
      req: {
        headers: [
          ["x-old", "v"],
          ["x-dup", "1"],
          ["x-dup", "1"],
        ],
      },
      check: (s) =>
        expect([sent(s, "x-new"), sent(s, "x-copy"), values(upstream(s), "x-dup")]).toEqual(["v", "v", ["1"]]),
    },
  ],
  [
    "dynamic values: %VAR%, captures, ${claim.x} from JWT",
    {
      config: {
        rules: [
          {
            match: { path: { safe_regex: { regex: "/t/([a-z]+)" } } },
            request: {
              headers: [
                { set: { name: "x-v", value: "%REQ(x-in)%|%CAPTURE(1)%|${claim.sub}|%DOWNSTREAM_LOCAL_PORT%" } },
              ],
            },
          },
        ],
      },
      req: {
        path: "/t/abc",
        headers: [["x-in", "i"]],
        claims: { sub: "alice" },
        attributes: { "destination.port": 8443 },
      },
      check: (s) => expect(sent(s, "x-v")).toBe("i|abc|alice|8443"),
    },
  ],
  [
    "request & response",
    {
      config: {
        request_headers: [{ set: { name: "x-req", value: "1" } }],
        response_headers: [{ set: { name: "x-res", value: "%REQ(x-req)%" } }],
      },
      req: {},
      check: (s) => {
        expect(sent(s, "x-req")).toBe("1");
        expect(values(respond(s, []), "x-res")).toEqual(["1"]);
      },
    },
  ],
  [
    "query params",
    {
      config: { rules: [{ request: { query: [{ remove: "token" }, { add: { name: "v", value: "2" } }] } }] },
      req: { path: "/p?token=x&a=1" },
      check: (s) => expect(sent(s, ":path")).toBe("/p?a=1&v=2"),
    },
  ],
  [
    "body fields: JSON only, size-capped",
    {
      config: { max_body_bytes: 1024, rules: [{ request: { json_body: [{ set: { path: "a", value: 1 } }] } }] },
      req: { method: "POST", headers: [["content-type", "application/json"]], body: '{"b":2}' },
      check: (s) => expect(JSON.parse(new TextDecoder().decode(s.upstreamRequest.body))).toEqual({ b: 2, a: 1 }),
    },
  ],
  [
    "path/host rewrite: regex + prefix",
    {
      config: {
        rules: [
          {
            request: {
              path: { regex: { pattern: "^/v1/(.*)$", substitution: "/api/\\1" } },
              host: "backend.internal",
            },
          },
          { request: { path: { prefix: { match: "/api/", replacement: "/internal/" } } } },
        ],
      },
      req: { path: "/v1/items?x=1" },
      check: (s) =>
        expect([sent(s, ":path"), sent(s, ":authority")]).toEqual(["/internal/items?x=1", "backend.internal"]),
    },
  ],
  [
    "conditional: per-rule matcher",
    {
      config: {
        rules: [
          {
            match: { host: { suffix: ".test" }, methods: ["GET"], headers: [{ name: "x-beta", present_match: true }] },
            request: { headers: [{ set: { name: "x-hit", value: "yes" } }] },
          },
        ],
      },
      req: { headers: [["x-beta", "1"]] },
      check: (s) => expect(sent(s, "x-hit")).toBe("yes"),
    },
  ],
  [
    "guard rails: :method and x-envoy-* denied by default",
    {
      config: {
        allow_headers: ["x-envoy-retry-on"],
        request_headers: [{ set: { name: "x-envoy-retry-on", value: "5xx" } }],
      },
      req: {},
      check: (s) => expect(sent(s, "x-envoy-retry-on")).toBe("5xx"),
    },
  ],
];

describe.each(builds)("header-rewrite feature matrix (%s)", (wasm) => {
  it.each(rows)("%s", async (_, row) => {
    const plugin = await load(wasm, row.config);
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    row.check(send(plugin, row.req));
  });

  it("guard rails: refuses :method and x-envoy-* without allow_headers", async () => {
    for (const name of [":method", "x-envoy-retry-on"]) {
      const plugin = await load(wasm, { request_headers: [{ set: { name, value: "x" } }] });
      expect(plugin.status).toBe("configure_failed");
    }
  });
});

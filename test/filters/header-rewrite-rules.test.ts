// header-rewrite rules: each kind of match condition, rules applied in order, response conditions,
// query parameter operations, path and host rewrites, guard rails for sensitive headers, per-rule
// counters, and a request no rule matches costing only the matchers' reads (host-call trace).

import { describe, expect, it } from "vitest";
import { HostCallTrace } from "../../harness/index.js";
import { builds, load, respond, send, sent, type Req } from "./header-rewrite/support.js";

const tagged = (match: object) => ({
  rules: [{ match, request: { headers: [{ set: { name: "x-hit", value: "1" } }] } }],
});

// [condition, a request it matches, a request it does not]
const matchers: [string, object, Req, Req][] = [
  ["methods", { methods: ["POST", "PUT"] }, { method: "PUT" }, { method: "GET" }],
  [
    "host exact, ignoring case",
    { host: { exact: "shop.test", ignore_case: true } },
    { host: "SHOP.test" },
    { host: "api.test" },
  ],
  ["host suffix", { host: { suffix: ".example.com" } }, { host: "a.example.com" }, { host: "example.org" }],
  ["path prefix", { path: { prefix: "/api/" } }, { path: "/api/x" }, { path: "/apix" }],
  ["path exact, query ignored", { path: { exact: "/login" } }, { path: "/login?next=/" }, { path: "/login/" }],
  ["path regex", { path: { safe_regex: { regex: "/v[0-9]+/.*" } } }, { path: "/v2/items" }, { path: "/vx/items" }],
  [
    "header string_match on every value joined",
    { headers: [{ name: "x-env", string_match: { exact: "a,b" } }] },
    {
      headers: [
        ["x-env", "a"],
        ["x-env", "b"],
      ],
    },
    { headers: [["x-env", "a"]] },
  ],
  [
    "header present_match",
    { headers: [{ name: "authorization", present_match: true }] },
    { headers: [["authorization", "x"]] },
    {},
  ],
  [
    "header host, Envoy's legacy name of :authority",
    { headers: [{ name: "Host", string_match: { exact: "shop.test" } }] },
    { host: "shop.test" },
    { host: "api.test" },
  ],
  [
    "header invert_match of a value (an absent header does not match)",
    { headers: [{ name: "x-env", string_match: { exact: "prod" }, invert_match: true }] },
    { headers: [["x-env", "dev"]] },
    {},
  ],
  [
    "header invert_match of presence",
    { headers: [{ name: "x-internal", present_match: true, invert_match: true }] },
    {},
    { headers: [["x-internal", "1"]] },
  ],
  [
    "query parameter, decoded",
    { query_parameters: [{ name: "debug", string_match: { exact: "on now" } }] },
    { path: "/?debug=on%20now" },
    { path: "/?debug=off" },
  ],
  [
    "query parameter present",
    { query_parameters: [{ name: "trace", present_match: true }] },
    { path: "/?trace" },
    { path: "/" },
  ],
  [
    "CEL condition",
    { condition: "request.headers['x-tier'] == 'gold' && request.method == 'GET'" },
    { headers: [["x-tier", "gold"]] },
    { headers: [["x-tier", "free"]] },
  ],
  [
    "all conditions together",
    { methods: ["GET"], path: { prefix: "/a" }, headers: [{ name: "x-k", present_match: true }] },
    { path: "/a", headers: [["x-k", "1"]] },
    { path: "/a" },
  ],
];

describe.each(builds)("header-rewrite rules (%s)", (wasm) => {
  it.each(matchers)("matches on %s", async (_, match, yes, no) => {
    const plugin = await load(wasm, tagged(match));
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    expect(sent(send(plugin, yes), "x-hit")).toBe("1");
    expect(sent(send(plugin, no), "x-hit")).toBeUndefined();
  });

  it("applies matching rules in order, each seeing the previous one's writes, and counts each rule", async () => {
    const config = {
      rules: [
        { name: "tenant", request: { headers: [{ set: { name: "x-tenant", value: "acme" } }] } },
        {
          name: "tenant-seen",
          match: { headers: [{ name: "x-tenant", string_match: { exact: "acme" } }] },
          request: { headers: [{ set: { name: "x-seen", value: "%REQ(x-tenant)%" } }] },
        },
        {
          name: "never",
          match: { methods: ["DELETE"] },
          request: { headers: [{ set: { name: "x-no", value: "1" } }] },
        },
      ],
    };
    const plugin = await load(wasm, config);
    const stream = send(plugin);
    expect(sent(stream, "x-seen")).toBe("acme");
    expect(sent(stream, "x-no")).toBeUndefined();
    const counter = (rule: string) =>
      plugin.environment.metrics.counter(`rule=.=${rule};.;header_rewrite_rule_matched`);
    expect([counter("tenant"), counter("tenant-seen"), counter("never")]).toEqual([1n, 1n, 0n]);
  });

  it("applies response operations only when the response condition holds", async () => {
    const config = {
      rules: [
        {
          response: {
            condition: "response.code >= 500",
            headers: [{ set: { name: "retry-after", value: "5" } }],
          },
        },
      ],
    };
    const plugin = await load(wasm, config);
    const ok = send(plugin);
    expect(respond(ok, []).some(([k]) => k === "retry-after")).toBe(false);
    const failing = send(plugin, { attributes: { "response.code": 503 } });
    failing.sendResponseHeaders([[":status", "503"]], true);
    expect(failing.downstreamResponse.headers!.get("retry-after")).toBe("5");
  });

  it("leaves a request no rule matches alone: no writes; only :path is read when no rule's path fits it, unless the request before needed every header", async () => {
    const trace = new HostCallTrace();
    const config = {
      rules: Array.from({ length: 10 }, (_, i) => ({
        match: { methods: ["POST"], path: { prefix: `/r${i}/` }, headers: [{ name: "x-r", present_match: true }] },
        request: { headers: [{ set: { name: "x-r", value: "%REQ(x-other)%" } }] },
        response: { headers: [{ set: { name: "x-r", value: "1" } }] },
      })),
    };
    const plugin = await load(wasm, config, trace);
    const reads = (path: string) => {
      const stream = plugin.newHttpStream();
      trace.clear();
      stream.sendRequestHeaders(
        [
          [":method", "GET"],
          [":path", path],
          [":authority", "shop.test"],
        ],
        true,
      );
      stream.sendResponseHeaders([[":status", "200"]], true);
      return trace.countsByName(stream);
    };
    // /r1/x fits rule 1's path, so its other conditions read the headers (the method fails).
    expect(reads("/r1/x")).toEqual({ proxy_get_header_map_value: 1, proxy_get_header_map_pairs: 1 });
    // After a request that needed them, the headers are read at once: one call instead of two.
    expect(reads("/r2/x")).toEqual({ proxy_get_header_map_pairs: 1 });
    // This one needs only its path, so the next reads its path alone again.
    expect(reads("/other/x?r=1")).toEqual({ proxy_get_header_map_pairs: 1 });
    expect(reads("/other/x?r=1")).toEqual({ proxy_get_header_map_value: 1 });
  });

  it("removes a header with a host call only when the headers it read have it", async () => {
    const trace = new HostCallTrace();
    const config = {
      rules: [
        {
          match: { headers: [{ name: "x-tenant", present_match: true }] },
          request: { headers: [{ remove: "x-internal" }, { remove: "x-absent" }] },
          response: { headers: [{ remove: "x-secret" }] },
        },
      ],
    };
    const plugin = await load(wasm, config, trace);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "shop.test"],
        ["x-tenant", "acme"],
        ["x-internal", "1"],
      ],
      true,
    );
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-secret", "s"],
      ],
      true,
    );
    const removes = trace.calls.filter((c) => c.context === stream && c.name === "proxy_remove_header_map_value");
    // The request's headers were read for the match; the response's were not, so its remove goes to the host.
    expect(removes.map((c) => c.callback)).toEqual(["proxy_on_request_headers", "proxy_on_response_headers"]);
    expect(sent(stream, "x-internal")).toBeUndefined();
    expect(stream.downstreamResponse.headers!.get("x-secret")).toBeUndefined();
  });

  it("matches a rule's path against the path an earlier rule rewrote", async () => {
    const config = {
      rules: [
        {
          match: { path: { prefix: "/old/" } },
          request: { path: { prefix: { match: "/old/", replacement: "/new/" } } },
        },
        { match: { path: { exact: "/old/x" } }, request: { headers: [{ set: { name: "x-old", value: "1" } }] } },
        { match: { path: { prefix: "/new/" } }, request: { headers: [{ set: { name: "x-new", value: "1" } }] } },
      ],
    };
    const plugin = await load(wasm, config);
    const stream = send(plugin, { path: "/old/x?q=1" });
    expect(sent(stream, ":path")).toBe("/new/x?q=1");
    expect(sent(stream, "x-old")).toBeUndefined();
    expect(sent(stream, "x-new")).toBe("1");
    expect(sent(send(plugin, { path: "/new/y" }), "x-new")).toBe("1");
  });

  it("keeps each open stream's matched rules and captures apart, and a later stream starts clean", async () => {
    const plugin = await load(wasm, {
      rules: [
        {
          match: { path: { safe_regex: { regex: "/([a-z]+)/([0-9]+)" } } },
          response: { headers: [{ set: { name: "x-cap", value: "%CAPTURE(1)%-%CAPTURE(2)%" } }] },
        },
        {
          match: { path: { prefix: "/b/" } },
          response: {
            condition: "response.code == 200",
            headers: [{ set: { name: "x-b", value: "1" } }],
          },
        },
      ],
    });
    const header = (headers: [string, string][], name: string) => headers.find(([n]) => n === name)?.[1];
    const users = send(plugin, { path: "/users/42" });
    const second = send(plugin, { path: "/b/7" });
    const items = send(plugin, { path: "/items/9" });
    expect(header(respond(second, []), "x-b")).toBe("1");
    expect(header(respond(items, []), "x-cap")).toBe("items-9");
    expect(header(respond(users, []), "x-cap")).toBe("users-42");
    // The deleted streams' lists and entries are taken again by these.
    const denied = send(plugin, { path: "/b/8" });
    denied.sendResponseHeaders([[":status", "503"]], true);
    expect(denied.downstreamResponse.headers!.get("x-b")).toBeUndefined();
    expect(header(respond(send(plugin, { path: "/orders/5" }), []), "x-cap")).toBe("orders-5");
    const none = respond(send(plugin, { path: "/" }), []);
    expect([header(none, "x-cap"), header(none, "x-b")]).toEqual([undefined, undefined]);
  });

  describe("query parameters", () => {
    const query = (...ops: object[]) => ({ rules: [{ request: { query: ops } }] });
    const cases: [string, object[], string, string][] = [
      ["set replaces all and keeps the position", [{ set: { name: "a", value: "9" } }], "/p?a=1&b=2&a=3", "/p?a=9&b=2"],
      ["set adds when absent", [{ set: { name: "c", value: "x y" } }], "/p?a=1", "/p?a=1&c=x%20y"],
      ["add appends", [{ add: { name: "a", value: "2" } }], "/p?a=1", "/p?a=1&a=2"],
      ["add_if_absent", [{ add_if_absent: { name: "a", value: "2" } }], "/p?a=1", "/p?a=1"],
      ["overwrite_if_exists on absent", [{ overwrite_if_exists: { name: "z", value: "2" } }], "/p?a=1", "/p?a=1"],
      ["remove", [{ remove: "a" }], "/p?a=1&b=2&a=3", "/p?b=2"],
      ["remove the last leaves no ?", [{ remove: "a" }], "/p?a=1", "/p"],
      ["rename", [{ rename: { from: "q", to: "query" } }], "/search?q=envoy&page=2", "/search?query=envoy&page=2"],
      ["values from templates are encoded", [{ set: { name: "u", value: "%REQ(x-user)%" } }], "/p", "/p?u=a%26b%3Dc"],
    ];

    it.each(cases)("%s", async (_, ops, path, expected) => {
      const plugin = await load(wasm, query(...ops));
      expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
      expect(sent(send(plugin, { path, headers: [["x-user", "a&b=c"]] }), ":path")).toBe(expected);
    });
  });

  describe("path and host", () => {
    const rewrite = (request: object, match: object = {}) => ({ rules: [{ match, request }] });
    const cases: [string, object, string, string][] = [
      ["prefix", { path: { prefix: { match: "/api/v1/", replacement: "/" } } }, "/api/v1/items?x=1", "/items?x=1"],
      ["prefix not matching", { path: { prefix: { match: "/api/v1/", replacement: "/" } } }, "/other", "/other"],
      // The prefix is matched against the path before its query only.
      ["prefix running into the query", { path: { prefix: { match: "/a?", replacement: "/z" } } }, "/a?x", "/a?x"],
      [
        "prefix the whole path before the query",
        { path: { prefix: { match: "/a", replacement: "/z" } } },
        "/a?x",
        "/z?x",
      ],
      [
        "regex with captures, query kept (Istio uriRegexRewrite)",
        { path: { regex: { pattern: "^/service/([^/]+)(/.*)$", substitution: "\\2/instance/\\1" } } },
        "/service/foo/v1/api?x=1",
        "/v1/api/instance/foo?x=1",
      ],
      ["regex replacing every match", { path: { regex: { pattern: "/+", substitution: "/" } } }, "//a///b", "/a/b"],
      ["set from a template", { path: { set: "/tenants/%REQ(x-tenant)%/home" } }, "/?q=1", "/tenants/acme/home?q=1"],
    ];

    it.each(cases)("rewrites the path: %s", async (_, request, path, expected) => {
      const plugin = await load(wasm, rewrite(request));
      expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
      expect(sent(send(plugin, { path, headers: [["x-tenant", "acme"]] }), ":path")).toBe(expected);
    });

    it("rewrites each request's path on its own, with nothing left from the request before", async () => {
      const config = rewrite({
        path: { regex: { pattern: "b+", substitution: "B" } },
        query: [{ set: { name: "k", value: "%REQ(x-tenant)%" } }, { remove: "x" }, { add: { name: "n", value: "1" } }],
      });
      const plugin = await load(wasm, config);
      const requests: [string, string, string][] = [
        ["/abba?x=1&k=old", "acme", "/aBa?k=acme&n=1"],
        ["/c", "a&b", "/c?k=a%26b&n=1"],
        ["/bb?y=2", "t", "/B?y=2&k=t&n=1"],
        ["/abba?x=1&k=old", "acme", "/aBa?k=acme&n=1"],
      ];
      for (const [path, tenant, expected] of requests) {
        expect(sent(send(plugin, { path, headers: [["x-tenant", tenant]] }), ":path"), path).toBe(expected);
      }
    });

    it("rewrites the path with captures of the rule's path regex", async () => {
      const config = rewrite(
        { path: { set: "/%CAPTURE(2)%/%CAPTURE(1)%" } },
        { path: { safe_regex: { regex: "/([a-z]+)/([0-9]+)" } } },
      );
      const plugin = await load(wasm, config);
      expect(sent(send(plugin, { path: "/users/42" }), ":path")).toBe("/42/users");
    });

    it("rewrites the authority from a literal or a header", async () => {
      const literal = await load(wasm, rewrite({ host: "backend.internal" }));
      expect(sent(send(literal), ":authority")).toBe("backend.internal");
      const fromHeader = await load(wasm, rewrite({ host: "%REQ(x-target?:authority)%" }));
      expect(sent(send(fromHeader, { headers: [["x-target", "b.test"]] }), ":authority")).toBe("b.test");
      expect(sent(send(fromHeader), ":authority")).toBe("shop.test");
    });
  });

  describe("guard rails", () => {
    const protectedNames = [
      ":method",
      ":scheme",
      "x-envoy-upstream-rq-timeout-ms",
      "content-length",
      "transfer-encoding",
    ];

    it.each(protectedNames)("refuses to write %s unless allow_headers lists it", async (name) => {
      const op = { set: { name, value: "x" } };
      const refused = await load(wasm, { rules: [{ request: { headers: [op] } }] });
      expect(refused.status).toBe("configure_failed");
      expect(refused.logMessages()[0]).toContain(`${name} is protected; list it in allow_headers to change it`);
      const allowed = await load(wasm, { allow_headers: [name], rules: [{ request: { headers: [op] } }] });
      expect(allowed.status).toBe("running");
    });

    it("allows a prefix of protected names with prefix*", async () => {
      const config = { allow_headers: ["x-envoy-*"], rules: [{ request: { headers: [{ remove: "x-envoy-debug" }] } }] };
      expect((await load(wasm, config)).status).toBe("running");
    });

    it("lets :path and :authority be written by header operations", async () => {
      const config = { rules: [{ request: { headers: [{ set: { name: ":path", value: "/fixed" } }] } }] };
      const plugin = await load(wasm, config);
      expect(sent(send(plugin, { path: "/x" }), ":path")).toBe("/fixed");
    });

    it("writes and reads :authority as host in requests, and host as itself in responses (Envoy's maps)", async () => {
      const ops = [{ copy: { from: "host", to: "x-original-host" } }, { set: { name: "Host", value: "backend.test" } }];
      const config = {
        rules: [{ request: { headers: ops }, response: { headers: [{ set: { name: "host", value: "r.test" } }] } }],
      };
      const stream = send(await load(wasm, config));
      expect(stream.upstreamRequest.headers!.all().filter(([k]) => k === ":authority" || k.endsWith("host"))).toEqual([
        [":authority", "backend.test"],
        ["x-original-host", "shop.test"],
      ]);
      expect(respond(stream, []).filter(([k]) => k === "host")).toEqual([["host", "r.test"]]);
    });

    it("skips protected headers a remove_matching would remove, and counts them", async () => {
      const config = { rules: [{ request: { headers: [{ remove_matching: { prefix: "x-" } }] } }] };
      const plugin = await load(wasm, config);
      const stream = send(plugin, {
        headers: [
          ["x-a", "1"],
          ["x-envoy-attempt", "2"],
        ],
      });
      expect(sent(stream, "x-a")).toBeUndefined();
      expect(sent(stream, "x-envoy-attempt")).toBe("2");
      expect(plugin.environment.metrics.counter("header_rewrite_protected_header_skipped")).toBe(1n);
    });

    it("skips a rewritten path that is not a valid path", async () => {
      const config = { rules: [{ request: { path: { set: "%REQ(x-p)%" } } }] };
      const plugin = await load(wasm, config);
      expect(sent(send(plugin, { path: "/ok", headers: [["x-p", "no-slash"]] }), ":path")).toBe("/ok");
      expect(plugin.environment.metrics.counter("header_rewrite_invalid_value_skipped")).toBe(1n);
    });
  });
});

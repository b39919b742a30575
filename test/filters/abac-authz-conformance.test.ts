// Conformance with Istio's AuthorizationPolicy matching (filters.md 2.2 and 2.3): for every field,
// value form and not* variant, one request the rule matches and one it does not. Each row runs as
// an ALLOW policy (match => 200, else 403) and as a DENY policy (match => 403, else 200).

import { describe, expect, it } from "vitest";
import { builds, load, policy, status, type Req } from "./abac-authz/support.js";

type Row = [name: string, rule: object, matching: Req, other: Req, top?: object];

const spiffe = (ns: string, sa: string) => `spiffe://cluster.local/ns/${ns}/sa/${sa}`;
const src = (source: object) => ({ from: [{ source }] });
const op = (operation: object) => ({ to: [{ operation }] });
const when = (key: string, values: string[], not = false) => ({
  when: [{ key, [not ? "notValues" : "values"]: values }],
});
const xff = (value: string): Req => ({ headers: [["x-forwarded-for", value]] });
const oneHop = { xff_num_trusted_hops: 1 };

// Several small tables: one long array literal makes the formatter's AssemblyScript plugin crawl.
const sourceRows: Row[] = [
  // source.principals: `spiffe://` + value, exact / prefix / suffix / presence.
  [
    "principals exact",
    src({ principals: ["cluster.local/ns/default/sa/web"] }),
    { peer: spiffe("default", "web") },
    { peer: spiffe("default", "api") },
  ],
  [
    "principals prefix",
    src({ principals: ["cluster.local/ns/default/*"] }),
    { peer: spiffe("default", "x") },
    { peer: spiffe("prod", "x") },
  ],
  [
    "principals suffix",
    src({ principals: ["*/sa/web"] }),
    { peer: spiffe("prod", "web") },
    { peer: spiffe("prod", "api") },
  ],
  ["principals presence", src({ principals: ["*"] }), { peer: spiffe("a", "b") }, {}],
  [
    "principals exact needs spiffe://",
    src({ principals: ["cluster.local/ns/a/sa/b"] }),
    { peer: spiffe("a", "b") },
    { peer: "https://cluster.local/ns/a/sa/b" },
  ],
  [
    "notPrincipals",
    src({ notPrincipals: ["cluster.local/ns/default/sa/web"] }),
    { peer: spiffe("default", "api") },
    { peer: spiffe("default", "web") },
  ],
  ["notPrincipals presence (no mTLS)", src({ notPrincipals: ["*"] }), {}, { peer: spiffe("a", "b") }],
  // source.requestPrincipals: `<iss>/<sub>` from jwt-authn.
  [
    "requestPrincipals exact",
    src({ requestPrincipals: ["https://issuer.test/alice"] }),
    { principal: "https://issuer.test/alice" },
    { principal: "https://issuer.test/bob" },
  ],
  [
    "requestPrincipals iss/*",
    src({ requestPrincipals: ["https://issuer.test/*"] }),
    { principal: "https://issuer.test/bob" },
    { principal: "https://other.test/bob" },
  ],
  [
    "requestPrincipals */sub",
    src({ requestPrincipals: ["*/alice"] }),
    { principal: "https://other.test/alice" },
    { principal: "https://issuer.test/bob" },
  ],
  ["requestPrincipals presence", src({ requestPrincipals: ["*"] }), { principal: "i/s" }, {}],
  ["notRequestPrincipals", src({ notRequestPrincipals: ["*"] }), {}, { principal: "i/s" }],
  // source.namespaces: regex .*/ns/<ns>/.* on the peer principal.
  [
    "namespaces exact",
    src({ namespaces: ["prod"] }),
    { peer: spiffe("prod", "web") },
    { peer: spiffe("production", "web") },
  ],
  [
    "namespaces wildcard",
    src({ namespaces: ["prod-*"] }),
    { peer: spiffe("prod-eu", "web") },
    { peer: spiffe("dev", "web") },
  ],
  ["namespaces without mTLS", src({ namespaces: ["*"] }), { peer: spiffe("x", "y") }, {}],
  ["notNamespaces", src({ notNamespaces: ["prod"] }), { peer: spiffe("dev", "web") }, { peer: spiffe("prod", "web") }],
  // source.serviceAccounts: ns/sa, or sa in the policy's namespace (default here).
  [
    "serviceAccounts ns/sa",
    src({ serviceAccounts: ["prod/web"] }),
    { peer: spiffe("prod", "web") },
    { peer: spiffe("prod", "api") },
  ],
  [
    "serviceAccounts sa",
    src({ serviceAccounts: ["web"] }),
    { peer: spiffe("default", "web") },
    { peer: spiffe("prod", "web") },
  ],
  [
    "notServiceAccounts",
    src({ notServiceAccounts: ["prod/web"] }),
    { peer: spiffe("prod", "api") },
    { peer: spiffe("prod", "web") },
  ],
  // source.ipBlocks (direct peer) and remoteIpBlocks (x-forwarded-for with trusted hops).
  ["ipBlocks CIDR", src({ ipBlocks: ["10.1.0.0/16"] }), { source: "10.1.2.3:5555" }, { source: "10.2.0.1:5555" }],
  ["ipBlocks single IP", src({ ipBlocks: ["10.1.2.3"] }), { source: "10.1.2.3:1" }, { source: "10.1.2.4:1" }],
  [
    "ipBlocks IPv6",
    src({ ipBlocks: ["2001:db8::/32"] }),
    { source: "[2001:db8::1]:443" },
    { source: "[2001:db9::1]:443" },
  ],
  [
    "ipBlocks ignores x-forwarded-for",
    src({ ipBlocks: ["10.1.0.0/16"] }),
    { source: "10.1.0.9:1", ...xff("192.0.2.1") },
    { source: "192.0.2.9:1", ...xff("10.1.0.1") },
  ],
  ["notIpBlocks", src({ notIpBlocks: ["10.1.0.0/16"] }), { source: "10.2.0.1:1" }, { source: "10.1.0.1:1" }],
  [
    "remoteIpBlocks one trusted hop",
    src({ remoteIpBlocks: ["203.0.113.0/24"] }),
    xff("203.0.113.7"),
    xff("198.51.100.1"),
    oneHop,
  ],
  [
    "remoteIpBlocks no trusted hops = peer",
    src({ remoteIpBlocks: ["10.1.0.0/16"] }),
    { source: "10.1.0.1:1", ...xff("192.0.2.1") },
    { source: "10.9.0.1:1", ...xff("10.1.0.1") },
  ],
  [
    "notRemoteIpBlocks",
    src({ notRemoteIpBlocks: ["203.0.113.0/24"] }),
    xff("198.51.100.1"),
    xff("203.0.113.7"),
    oneHop,
  ],
];

// to.operation.hosts: case-insensitive.
const operationRows: Row[] = [
  ["hosts exact, any case", op({ hosts: ["svc.test"] }), { host: "SVC.Test" }, { host: "other.test" }],
  ["hosts prefix", op({ hosts: ["svc.*"] }), { host: "svc.example" }, { host: "api.example" }],
  ["hosts suffix", op({ hosts: ["*.Example.com"] }), { host: "a.example.COM" }, { host: "example.org" }],
  ["notHosts", op({ notHosts: ["svc.test"] }), { host: "api.test" }, { host: "SVC.TEST" }],
  ["ports", op({ ports: ["8080"] }), { port: 8080 }, { port: 9090 }],
  ["notPorts", op({ notPorts: ["8080"] }), { port: 9090 }, { port: 8080 }],
  ["methods exact", op({ methods: ["GET"] }), { method: "GET" }, { method: "POST" }],
  ["methods prefix", op({ methods: ["P*"] }), { method: "PUT" }, { method: "GET" }],
  ["methods suffix", op({ methods: ["*CH"] }), { method: "PATCH" }, { method: "GET" }],
  ["methods case-sensitive", op({ methods: ["GET"] }), { method: "GET" }, { method: "get" }],
  ["notMethods", op({ notMethods: ["DELETE"] }), { method: "GET" }, { method: "DELETE" }],
  ["paths exact, query ignored", op({ paths: ["/api/items"] }), { path: "/api/items?x=1" }, { path: "/api/items/1" }],
  ["paths prefix", op({ paths: ["/api/*"] }), { path: "/api/x/y" }, { path: "/other" }],
  ["paths suffix", op({ paths: ["*.json"] }), { path: "/a/b.json" }, { path: "/a/b.xml" }],
  ["paths template {*}", op({ paths: ["/foo/{*}"] }), { path: "/foo/bar" }, { path: "/foo/bar/baz" }],
  ["paths template {**}/", op({ paths: ["/foo/{**}/"] }), { path: "/foo//" }, { path: "/foo/bar" }],
  [
    "paths template mixed",
    op({ paths: ["/foo/{*}/items/{**}"] }),
    { path: "/foo/x/items/a/b" },
    { path: "/foo/x/y/items" },
  ],
  ["notPaths", op({ notPaths: ["/admin/*"] }), { path: "/api" }, { path: "/admin/x" }],
];

// when keys (filters.md 2.3).
const whenRows: Row[] = [
  [
    "when request.headers prefix",
    when("request.headers[User-Agent]", ["Mozilla/*"]),
    { headers: [["user-agent", "Mozilla/5.0"]] },
    { headers: [["user-agent", "curl/8"]] },
  ],
  [
    "when request.headers comma list",
    when("request.headers[x-group]", ["admin"]),
    { headers: [["x-group", "dev,admin"]] },
    { headers: [["x-group", "administrator, admin"]] },
  ],
  [
    "when request.headers repeated",
    when("request.headers[x-group]", ["admin"]),
    {
      headers: [
        ["x-group", "dev"],
        ["x-group", "admin"],
      ],
    },
    { headers: [["x-group", "dev"]] },
  ],
  ["when request.headers presence", when("request.headers[x-debug]", ["*"]), { headers: [["x-debug", ""]] }, {}],
  [
    "when request.headers[Host], Envoy's legacy name of :authority",
    when("request.headers[Host]", ["svc.test"]),
    { host: "svc.test" },
    { host: "other.test" },
  ],
  [
    "when request.headers notValues",
    when("request.headers[x-group]", ["admin"], true),
    { headers: [["x-group", "dev"]] },
    { headers: [["x-group", "admin"]] },
  ],
  ["when source.ip", when("source.ip", ["10.1.2.0/24"]), { source: "10.1.2.3:1" }, { source: "10.1.3.3:1" }],
  [
    "when source.ip notValues",
    when("source.ip", ["10.1.2.0/24"], true),
    { source: "10.1.3.3:1" },
    { source: "10.1.2.3:1" },
  ],
  [
    "when remote.ip",
    when("remote.ip", ["203.0.113.7"]),
    xff("198.51.100.9, 203.0.113.7"),
    xff("203.0.113.7, 198.51.100.9"),
    oneHop,
  ],
  [
    "when remote.ip notValues",
    when("remote.ip", ["203.0.113.7"], true),
    xff("198.51.100.9"),
    xff("203.0.113.7"),
    oneHop,
  ],
  [
    "when source.namespace",
    when("source.namespace", ["prod"]),
    { peer: spiffe("prod", "a") },
    { peer: spiffe("dev", "a") },
  ],
  [
    "when source.namespace notValues",
    when("source.namespace", ["prod"], true),
    { peer: spiffe("dev", "a") },
    { peer: spiffe("prod", "a") },
  ],
  [
    "when source.principal",
    when("source.principal", ["cluster.local/ns/prod/sa/web"]),
    { peer: spiffe("prod", "web") },
    { peer: spiffe("prod", "api") },
  ],
  ["when source.principal notValues", when("source.principal", ["*"], true), {}, { peer: spiffe("prod", "api") }],
];

const authWhenRows: Row[] = [
  [
    "when request.auth.principal",
    when("request.auth.principal", ["https://issuer.test/alice"]),
    { principal: "https://issuer.test/alice" },
    { principal: "https://issuer.test/bob" },
  ],
  [
    "when request.auth.principal notValues",
    when("request.auth.principal", ["*.test/bob"], true),
    { principal: "https://issuer.test/alice" },
    { principal: "https://issuer.test/bob" },
  ],
  [
    "when request.auth.audiences string",
    when("request.auth.audiences", ["api.test"]),
    { claims: { aud: "api.test" } },
    { claims: { aud: "other" } },
  ],
  [
    "when request.auth.audiences list",
    when("request.auth.audiences", ["api.test"]),
    { claims: { aud: ["x", "api.test"] } },
    { claims: { aud: ["x"] } },
  ],
  [
    "when request.auth.audiences notValues",
    when("request.auth.audiences", ["api.test"], true),
    { claims: { aud: "x" } },
    { claims: { aud: "api.test" } },
  ],
  [
    "when request.auth.presenter",
    when("request.auth.presenter", ["client-*"]),
    { claims: { azp: "client-1" } },
    { claims: { azp: "web" } },
  ],
  [
    "when request.auth.presenter notValues",
    when("request.auth.presenter", ["web"], true),
    { claims: { azp: "client-1" } },
    { claims: { azp: "web" } },
  ],
  [
    "when claims list",
    when("request.auth.claims[groups]", ["admin"]),
    { claims: { groups: ["dev", "admin"] } },
    { claims: { groups: ["dev"] } },
  ],
  [
    "when claims suffix",
    when("request.auth.claims[email]", ["*@foo.com"]),
    { claims: { email: "a@foo.com" } },
    { claims: { email: "a@bar.com" } },
  ],
  [
    "when claims nested",
    when("request.auth.claims[realm][roles]", ["editor"]),
    { claims: { realm: { roles: ["editor"] } } },
    { claims: { realm: { roles: "viewer" } } },
  ],
  [
    "when claims non-string never match",
    when("request.auth.claims[level]", ["3"]),
    { claims: { level: "3" } },
    { claims: { level: 3 } },
  ],
  ["when claims without a token", when("request.auth.claims[groups]", ["*"]), { claims: { groups: "x" } }, {}],
  [
    "when claims notValues",
    when("request.auth.claims[groups]", ["admin"], true),
    { claims: { groups: ["dev"] } },
    { claims: { groups: ["admin"] } },
  ],
  [
    "when destination.ip",
    when("destination.ip", ["10.0.0.0/24"]),
    { destination: "10.0.0.2:8080" },
    { destination: "192.168.1.1:8080" },
  ],
  [
    "when destination.ip notValues",
    when("destination.ip", ["10.0.0.0/24"], true),
    { destination: "192.168.1.1:80" },
    { destination: "10.0.0.2:80" },
  ],
  ["when destination.port", when("destination.port", ["8080"]), { port: 8080 }, { port: 443 }],
  ["when destination.port notValues", when("destination.port", ["8080"], true), { port: 443 }, { port: 8080 }],
  ["when connection.sni", when("connection.sni", ["*.example.com"]), { sni: "a.example.com" }, { sni: "b.test" }],
  [
    "when connection.sni notValues",
    when("connection.sni", ["*.example.com"], true),
    { sni: "b.test" },
    { sni: "a.example.com" },
  ],
];

// Combination: fields AND, values OR, from[] OR, when[] AND.
const combinationRows: Row[] = [
  [
    "fields of one source AND",
    src({ principals: ["*"], ipBlocks: ["10.1.0.0/16"] }),
    { peer: spiffe("a", "b"), source: "10.1.0.1:1" },
    { source: "10.1.0.1:1" },
  ],
  ["values of one field OR", op({ methods: ["GET", "HEAD"] }), { method: "HEAD" }, { method: "PUT" }],
  [
    "from entries OR",
    { from: [{ source: { ipBlocks: ["10.1.0.0/16"] } }, { source: { principals: ["*"] } }] },
    { peer: spiffe("a", "b"), source: "10.9.0.1:1" },
    { source: "10.9.0.1:1" },
  ],
  [
    "from AND to",
    { ...src({ principals: ["*"] }), ...op({ methods: ["GET"] }) },
    { peer: spiffe("a", "b") },
    { peer: spiffe("a", "b"), method: "POST" },
  ],
  [
    "when conditions AND",
    {
      when: [
        { key: "destination.port", values: ["8080"] },
        { key: "request.headers[x-a]", values: ["1"] },
      ],
    },
    { port: 8080, headers: [["x-a", "1"]] },
    { port: 8080 },
  ],
  [
    "values and notValues in one condition",
    { when: [{ key: "request.headers[x-a]", values: ["a*"], notValues: ["ab"] }] },
    { headers: [["x-a", "ac"]] },
    { headers: [["x-a", "ab"]] },
  ],
];

const rows = [...sourceRows, ...operationRows, ...whenRows, ...authWhenRows, ...combinationRows];

describe.each(builds)("abac-authz conformance (%s)", (wasm) => {
  it.each(rows)("%s: ALLOW allows the match, denies the rest", async (_, rule, matching, other, top) => {
    const plugin = await load(wasm, { ...top, policies: [policy("p", { action: "ALLOW", rules: [rule] })] });
    expect(plugin.status).toBe("running");
    expect(status(plugin, matching)).toBe(200);
    expect(status(plugin, other)).toBe(403);
    // Nothing carries over from the request before (the filter keeps the last source address it parsed).
    expect(status(plugin, matching)).toBe(200);
  });

  it.each(rows)("%s: DENY denies the match, allows the rest", async (_, rule, matching, other, top) => {
    const plugin = await load(wasm, { ...top, policies: [policy("p", { action: "DENY", rules: [rule] })] });
    expect(status(plugin, matching)).toBe(403);
    expect(status(plugin, other)).toBe(200);
  });
});

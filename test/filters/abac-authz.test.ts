// abac-authz behaviour: Istio's evaluation order and implicit deny (filters.md 2.1), the denial
// response, asymmetric handling of invalid rules, AUDIT, dry-run, counters, CEL conditions,
// SPIFFE identities and x-forwarded-for trusted hops.

import { describe, expect, it } from "vitest";
import { LogLevel, Plugin } from "../../harness/index.js";
import { builds, load, policy, send, status } from "./abac-authz/support.js";

const allowGet = policy("allow-get", { rules: [{ to: [{ operation: { methods: ["GET"] } }] }] });
const denyAdmin = policy("deny-admin", {
  action: "DENY",
  rules: [{ to: [{ operation: { paths: ["/admin/*"] } }] }],
});
const infos = (plugin: Plugin) => plugin.logs.filter((e) => e.level === LogLevel.Info).map((e) => e.message);
const warnings = (plugin: Plugin) => plugin.logs.filter((e) => e.level === LogLevel.Warn).map((e) => e.message);
const counter = (plugin: Plugin, name: string) => plugin.environment.metrics.counter(name);

describe.each(builds)("abac-authz (%s)", (wasm) => {
  describe("evaluation order (filters.md 2.1)", () => {
    it("allows everything without policies", async () => {
      expect(status(await load(wasm, []), { method: "DELETE" })).toBe(200);
    });

    it("lets a matching DENY win over a matching ALLOW", async () => {
      const plugin = await load(wasm, [allowGet, denyAdmin]);
      expect(status(plugin, { path: "/admin/x" })).toBe(403);
      expect(status(plugin, { path: "/api" })).toBe(200);
    });

    it("allows what no DENY matches when there is no ALLOW policy", async () => {
      const plugin = await load(wasm, [denyAdmin]);
      expect(status(plugin, { method: "DELETE", path: "/api" })).toBe(200);
    });

    it("reads each request attribute once however many policies ask for it", async () => {
      const denials = Array.from({ length: 10 }, (_, i) =>
        policy(`deny-${i}`, {
          action: "DENY",
          rules: [
            { from: [{ source: { ipBlocks: [`192.0.2.${i}`] } }], to: [{ operation: { paths: [`/admin/${i}/*`] } }] },
          ],
        }),
      );
      const plugin = await Plugin.load(wasm, {
        rootId: "abac-authz",
        configuration: { policies: denials },
        trace: true,
      });
      const stream = send(plugin, { path: "/api/items", source: "192.0.2.3:4000" });
      expect(stream.localReply).toBeNull();
      expect(plugin.trace!.countsByName(stream)).toEqual({
        proxy_get_header_map_value: 1,
        proxy_get_property: 1,
        proxy_increment_metric: 1,
      });
    });

    it("reads the whole header map at once when the request before needed it, and pseudo-headers alone again after one that did not", async () => {
      const byHeader = policy("deny-debug", {
        action: "DENY",
        rules: [
          {
            to: [{ operation: { methods: ["DELETE"], paths: ["/admin/*"] } }],
            when: [{ key: "request.headers[x-debug]", values: ["1"] }],
          },
        ],
      });
      const plugin = await Plugin.load(wasm, {
        rootId: "abac-authz",
        configuration: { policies: [byHeader] },
        trace: true,
      });
      const reads = (method: string) => {
        const stream = send(plugin, { method, path: "/admin/x" });
        const counts = plugin.trace!.countsByName(stream);
        return [counts["proxy_get_header_map_value"] ?? 0, counts["proxy_get_header_map_pairs"] ?? 0];
      };
      // DELETE /admin/x reaches the header condition: :method and :path alone, then the whole map.
      expect(reads("DELETE")).toEqual([2, 1]);
      // The next request reads the whole map first, and needs nothing else.
      expect(reads("DELETE")).toEqual([0, 1]);
      // A GET fails on its method: it read the map first but needed only pseudo-headers...
      expect(reads("GET")).toEqual([0, 1]);
      // ...so the next request reads them alone again.
      expect(reads("GET")).toEqual([1, 0]);
    });

    it("denies implicitly once any ALLOW policy exists", async () => {
      const plugin = await load(wasm, [allowGet, denyAdmin]);
      expect(status(plugin, { method: "POST", path: "/api" })).toBe(403);
    });

    it("denies everything with an ALLOW policy without rules (spec: {})", async () => {
      expect(status(await load(wasm, [policy("nothing", {})]))).toBe(403);
    });

    it("allows everything with one empty rule (rules: [{}])", async () => {
      expect(status(await load(wasm, [policy("all", { rules: [{}] })]), { method: "PUT" })).toBe(200);
    });

    it("denies what no policy allows when default_action is DENY and no ALLOW policy exists", async () => {
      const plugin = await load(wasm, { default_action: "DENY", policies: [denyAdmin] });
      expect(status(plugin, { path: "/api" })).toBe(403);
      expect(send(plugin, { path: "/api" }).localReply!.details).toBe("abac_authz_denied");
    });

    it("applies a matching ALLOW from any policy, in any order", async () => {
      const allowPost = policy("allow-post", { rules: [{ to: [{ operation: { methods: ["POST"] } }] }] });
      const plugin = await load(wasm, [allowGet, allowPost]);
      expect(status(plugin, { method: "POST" })).toBe(200);
      expect(status(plugin, { method: "PUT" })).toBe(403);
    });
  });

  describe("denial (Envoy RBAC local reply)", () => {
    it("answers 403 `RBAC: access denied` with the deny policy in the details", async () => {
      const reply = send(await load(wasm, [denyAdmin]), { path: "/admin/users" }).localReply!;
      expect(reply.status).toBe(403);
      expect(new TextDecoder().decode(reply.body)).toBe("RBAC: access denied");
      expect(reply.details).toBe("abac_authz_denied_deny-admin");
    });

    it("names no policy in the details of an implicit deny", async () => {
      const reply = send(await load(wasm, [allowGet]), { method: "POST" }).localReply!;
      expect(reply.details).toBe("abac_authz_denied");
    });

    it("logs the deciding rule of a denial with Istio's policy id", async () => {
      const plugin = await load(wasm, [{ ...denyAdmin, namespace: "shop" }]);
      send(plugin, { method: "GET", path: "/admin/x?q=1" });
      expect(infos(plugin)).toContain("abac-authz: denied GET /admin/x by ns[shop]-policy[deny-admin]-rule[0]");
    });
  });

  describe("invalid rules (Istio's asymmetric handling)", () => {
    it("drops an invalid ALLOW rule and keeps the valid ones", async () => {
      const plugin = await load(wasm, [
        policy("p", {
          rules: [{ from: [{ source: { ipBlocks: ["10.0.0.0/99"] } }] }, { to: [{ operation: { methods: ["GET"] } }] }],
        }),
      ]);
      expect(plugin.status).toBe("running");
      expect(status(plugin, { method: "GET", source: "10.0.0.1:1" })).toBe(200);
      expect(status(plugin, { method: "POST", source: "10.0.0.1:1" })).toBe(403);
      // Every VM instance (canary and worker) configures, and warns, once.
      expect([...new Set(warnings(plugin))]).toEqual([
        'abac-authz: ns[default]-policy[p]-rule[0]: rule dropped: policies[0].spec.rules[0].from[0].source.ipBlocks[0]: invalid prefix length in "10.0.0.0/99"',
      ]);
    });

    it("widens a DENY rule by ignoring its invalid field", async () => {
      const plugin = await load(wasm, [
        policy("d", {
          action: "DENY",
          rules: [{ to: [{ operation: { methods: ["POST"], paths: ["/a/*/b"] } }] }],
        }),
      ]);
      expect(status(plugin, { method: "POST", path: "/anything" })).toBe(403);
      expect(status(plugin, { method: "GET", path: "/a/x/b" })).toBe(200);
      expect(warnings(plugin)[0]).toContain("invalid fields ignored, rule widened");
    });

    it.each([
      ["an unknown when key", { when: [{ key: "request.body", values: ["x"] }] }],
      ["a condition without values", { when: [{ key: "source.ip" }] }],
      ["an invalid port", { to: [{ operation: { ports: ["http"] } }] }],
      ["a port out of range", { when: [{ key: "destination.port", values: ["65536"] }] }],
      ["a bad path template", { to: [{ operation: { paths: ["/a/{**}/{*}"] } }] }],
      ["a wildcard service account", { from: [{ source: { serviceAccounts: ["ns/*"] } }] }],
      ["an experimental metadata key", { when: [{ key: "experimental.envoy.filters.a[b]", values: ["x"] }] }],
    ])("drops an ALLOW rule with %s but denies everything with the DENY rule", async (_, rule) => {
      const allow = await load(wasm, [policy("p", { rules: [rule] })]);
      expect(status(allow)).toBe(403);
      const deny = await load(wasm, [policy("p", { action: "DENY", rules: [rule] })]);
      expect(status(deny)).toBe(403);
    });
  });

  describe("AUDIT", () => {
    it("logs the matching audit rule and the deciding policy without changing the decision", async () => {
      const audit = policy("audit-admin", {
        action: "AUDIT",
        rules: [{ to: [{ operation: { paths: ["/admin/*"] } }] }],
      });
      const plugin = await load(wasm, [audit, denyAdmin]);
      expect(status(plugin, { path: "/admin/x" })).toBe(403);
      expect(status(plugin, { path: "/api" })).toBe(200);
      expect(infos(plugin)).toContain(
        "abac-authz: audit ns[default]-policy[audit-admin]-rule[0]: GET /admin/x denied by ns[default]-policy[deny-admin]-rule[0]",
      );
      expect(infos(plugin).filter((m) => m.includes("audit"))).toHaveLength(1);
      expect(counter(plugin, "policy=.=default.audit-admin;.;abac_authz_policy_matched")).toBe(1n);
    });

    it("does not count as an ALLOW policy", async () => {
      const plugin = await load(wasm, [policy("a", { action: "AUDIT", rules: [{}] })]);
      expect(status(plugin)).toBe(200);
    });
  });

  describe("dry-run", () => {
    it("counts and logs what a dry-run DENY policy would deny, and allows", async () => {
      const plugin = await load(wasm, [{ ...denyAdmin, dry_run: true }]);
      expect(status(plugin, { path: "/admin/x" })).toBe(200);
      expect(counter(plugin, "abac_authz_dry_run_denied")).toBe(1n);
      expect(counter(plugin, "abac_authz_allowed")).toBe(1n);
      expect(counter(plugin, "abac_authz_denied")).toBe(0n);
      expect(infos(plugin)).toContain(
        "abac-authz: dry-run: would deny GET /admin/x by ns[default]-policy[deny-admin]-rule[0]",
      );
    });

    it("keeps enforcing the other policies", async () => {
      const plugin = await load(wasm, [allowGet, { ...denyAdmin, dry_run: true }]);
      expect(status(plugin, { method: "POST" })).toBe(403);
      expect(status(plugin, { path: "/admin/x" })).toBe(200);
    });

    it("never denies in global dry-run mode, and counts the would-be decisions", async () => {
      const plugin = await load(wasm, { dry_run: true, policies: [allowGet, denyAdmin] });
      expect(status(plugin, { method: "POST" })).toBe(200);
      expect(status(plugin, { path: "/admin/x" })).toBe(200);
      expect(status(plugin, { path: "/x" })).toBe(200);
      expect(counter(plugin, "abac_authz_dry_run_denied")).toBe(2n);
      expect(counter(plugin, "abac_authz_dry_run_allowed")).toBe(1n);
      expect(infos(plugin)).toContain("abac-authz: dry-run: would deny POST / by none");
    });
  });

  describe("counters", () => {
    it("counts decisions, and matches per policy and per rule", async () => {
      const plugin = await load(wasm, [
        policy("p", {
          rules: [{ to: [{ operation: { methods: ["GET"] } }] }, { to: [{ operation: { methods: ["PUT"] } }] }],
        }),
      ]);
      status(plugin, { method: "GET" });
      status(plugin, { method: "PUT" });
      status(plugin, { method: "PUT" });
      status(plugin, { method: "POST" });
      expect(counter(plugin, "abac_authz_allowed")).toBe(3n);
      expect(counter(plugin, "abac_authz_denied")).toBe(1n);
      expect(counter(plugin, "policy=.=default.p;.;abac_authz_policy_matched")).toBe(3n);
      expect(counter(plugin, "policy=.=default.p;.;rule=.=0;.;abac_authz_rule_matched")).toBe(1n);
      expect(counter(plugin, "policy=.=default.p;.;rule=.=1;.;abac_authz_rule_matched")).toBe(2n);
    });
  });

  describe("CEL condition (our extension)", () => {
    const withCondition = (condition: string, action = "ALLOW") => [
      policy("c", { action, rules: [{ to: [{ operation: { methods: ["GET"] } }], condition }] }),
    ];

    it("ANDs the condition with the rule's fields", async () => {
      const plugin = await load(wasm, withCondition('request.headers["x-tier"] in ["gold", "silver"]'));
      expect(status(plugin, { headers: [["x-tier", "gold"]] })).toBe(200);
      expect(status(plugin, { headers: [["x-tier", "bronze"]] })).toBe(403);
      expect(status(plugin, { method: "POST", headers: [["x-tier", "gold"]] })).toBe(403);
    });

    it("reads jwt.claims from jwt-authn, with numeric comparisons", async () => {
      const plugin = await load(wasm, withCondition('jwt.claims.level >= 3 && jwt.claims.email.endsWith("@foo.com")'));
      expect(status(plugin, { claims: { level: 4, email: "a@foo.com" } })).toBe(200);
      expect(status(plugin, { claims: { level: 2, email: "a@foo.com" } })).toBe(403);
    });

    it("reads source and connection attributes", async () => {
      const plugin = await load(wasm, withCondition('source.address.startsWith("10.1.") && connection.mtls'));
      expect(status(plugin, { source: "10.1.0.1:1", peer: "spiffe://td/ns/a/sa/b" })).toBe(200);
      expect(status(plugin, { source: "10.1.0.1:1" })).toBe(403);
    });

    it("fails closed on an evaluation error: no ALLOW match, a DENY match", async () => {
      const condition = "jwt.claims.level >= 3";
      expect(status(await load(wasm, withCondition(condition)))).toBe(403);
      expect(status(await load(wasm, withCondition(condition, "DENY")))).toBe(403);
      expect(status(await load(wasm, withCondition(condition, "DENY")), { claims: { level: 1 } })).toBe(200);
    });

    it("refuses a condition that does not compile, naming its path and position", async () => {
      const plugin = await load(wasm, withCondition("request.method == "));
      expect(plugin.status).toBe("configure_failed");
      expect(plugin.logs[0]!.message).toMatch(
        /^abac-authz: invalid configuration: policies\[0\]\.spec\.rules\[0\]\.condition: invalid CEL expression: 1:\d+: /,
      );
    });

    it("refuses a condition that does not type-check", async () => {
      const plugin = await load(wasm, withCondition('1 + "a"'));
      expect(plugin.status).toBe("configure_failed");
    });
  });

  it("never traps on hostile requests", async () => {
    const everything = {
      from: [
        { source: { principals: ["*"], notNamespaces: ["x"], remoteIpBlocks: ["10.0.0.0/8"], notIpBlocks: ["::/0"] } },
      ],
      to: [{ operation: { hosts: ["*.test"], paths: ["/a/{*}/{**}"], notPorts: ["1"] } }],
      when: [
        { key: "request.headers[x-a]", values: ["a"] },
        { key: "request.auth.claims[a][b]", notValues: ["c"] },
      ],
      condition: 'has(jwt.claims.a) || request.path.startsWith("/a")',
    };
    const plugin = await load(wasm, {
      xff_num_trusted_hops: 3,
      policies: [policy("p", { action: "DENY", rules: [everything] })],
    });
    const hostile = [
      { headers: [["x-forwarded-for", ",,,,"]] as [string, string][] },
      { headers: [["x-forwarded-for", "999.1.1.1, [::1], ::ffff:10.0.0.1"]] as [string, string][] },
      { path: "/a/%ff/{**}?x", host: "", source: "not-an-address" },
      { peer: "spiffe://", principal: "", claims: { a: { b: [null, 1, {}] } } },
      { source: "[::1", destination: "::", peer: "spiffe://td/ns//sa/" },
    ];
    for (const req of hostile) expect([200, 403]).toContain(status(plugin, req));
    expect(plugin.status).toBe("running");
  });

  describe("subject attributes", () => {
    it("matches namespaces only on SPIFFE identities", async () => {
      const plugin = await load(wasm, [policy("p", { rules: [{ from: [{ source: { namespaces: ["prod"] } }] }] })]);
      expect(status(plugin, { peer: "spiffe://example.org/ns/prod/sa/web" })).toBe(200);
      expect(status(plugin, { peer: "spiffe://example.org/ns/prod" })).toBe(403);
      expect(status(plugin, { peer: "spiffe://example.org/ns/production/sa/web" })).toBe(403);
    });

    it("picks the Nth x-forwarded-for entry from the right with N trusted hops", async () => {
      const rule = { from: [{ source: { remoteIpBlocks: ["192.0.2.1"] } }] };
      const plugin = await load(wasm, { xff_num_trusted_hops: 2, policies: [policy("p", { rules: [rule] })] });
      expect(status(plugin, { headers: [["x-forwarded-for", "198.51.100.1, 192.0.2.1, 10.0.0.9"]] })).toBe(200);
      expect(status(plugin, { headers: [["x-forwarded-for", "192.0.2.1, 198.51.100.1, 10.0.0.9"]] })).toBe(403);
    });

    it("falls back to the peer address when x-forwarded-for is too short or not an IP", async () => {
      const rule = { from: [{ source: { remoteIpBlocks: ["10.7.0.0/16"] } }] };
      const plugin = await load(wasm, { xff_num_trusted_hops: 2, policies: [policy("p", { rules: [rule] })] });
      expect(status(plugin, { source: "10.7.0.1:1", headers: [["x-forwarded-for", "192.0.2.1"]] })).toBe(200);
      expect(status(plugin, { source: "10.7.0.1:1", headers: [["x-forwarded-for", "junk, 10.0.0.1"]] })).toBe(200);
      expect(status(plugin, { source: "10.8.0.1:1", headers: [["x-forwarded-for", "10.7.0.1, 10.0.0.1"]] })).toBe(200);
      expect(status(plugin, { source: "10.8.0.1:1", headers: [["x-forwarded-for", "10.7.0.1"]] })).toBe(403);
    });

    it("treats claims that are not JSON as absent", async () => {
      const plugin = await load(wasm, [
        policy("p", { rules: [{ when: [{ key: "request.auth.claims[a]", notValues: ["x"] }] }] }),
      ]);
      expect(status(plugin, { rawClaims: '{"a": "x"' })).toBe(200);
      expect(status(plugin, { rawClaims: '{"a": "x"}' })).toBe(403);
    });

    it("judges each request on its own claims when a client repeats or changes its token", async () => {
      const plugin = await load(wasm, [
        policy("claims", {
          rules: [
            {
              to: [{ operation: { notPaths: ["/cel"] } }],
              when: [{ key: "request.auth.claims[role]", values: ["admin"] }],
            },
          ],
        }),
        policy("cel", {
          rules: [{ to: [{ operation: { paths: ["/cel"] } }], condition: "jwt.claims.role == 'admin'" }],
        }),
      ]);
      // "admin" and "guest" have the same length, so only the bytes tell the claims apart.
      const roles = ["admin", "admin", "guest", "guest", "admin", undefined, "guest", "admin"];
      const answers = (path: string) =>
        roles.map((role) => status(plugin, role ? { path, claims: { role } } : { path }));
      expect(answers("/")).toEqual([200, 200, 403, 403, 200, 403, 403, 200]);
      expect(answers("/cel")).toEqual([200, 200, 403, 403, 200, 403, 403, 200]);
    });
  });
});

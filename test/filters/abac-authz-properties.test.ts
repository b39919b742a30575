// Metamorphic properties of Istio's evaluation model (filters.md 2.1), over random policies and
// requests: adding a DENY policy never allows more; adding an ALLOW policy never allows what a DENY
// matches; dry-run never changes the response.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builds, load, policy, status, type Req } from "./abac-authz/support.js";

const fragments: object[] = [
  {},
  { to: [{ operation: { methods: ["GET"] } }] },
  { to: [{ operation: { notMethods: ["GET"] } }] },
  { to: [{ operation: { paths: ["/admin/*"] } }] },
  { to: [{ operation: { paths: ["/api/{*}"], hosts: ["*.test"] } }] },
  { from: [{ source: { principals: ["*"] } }] },
  { from: [{ source: { namespaces: ["prod"] } }] },
  { from: [{ source: { notIpBlocks: ["10.1.0.0/16"] } }] },
  { from: [{ source: { requestPrincipals: ["https://issuer.test/*"] } }] },
  { when: [{ key: "request.headers[x-group]", values: ["admin"] }] },
  { when: [{ key: "request.auth.claims[groups]", notValues: ["dev"] }] },
  { to: [{ operation: { methods: ["POST"] } }], condition: 'request.path.startsWith("/api")' },
];

const rule = fc.constantFrom(...fragments);
const spec = fc.record({
  action: fc.constantFrom("ALLOW", "DENY", "AUDIT"),
  rules: fc.array(rule, { minLength: 0, maxLength: 3 }),
});
const policies = fc.array(spec, { maxLength: 4 }).map((specs) => specs.map((s, i) => policy(`p${i}`, s)));
const request: fc.Arbitrary<Req> = fc.record({
  method: fc.constantFrom("GET", "POST"),
  path: fc.constantFrom("/", "/admin/x", "/api/items", "/api/a/b"),
  host: fc.constantFrom("svc.test", "svc.example"),
  peer: fc.constantFrom(undefined, "spiffe://cluster.local/ns/prod/sa/web", "spiffe://cluster.local/ns/dev/sa/web"),
  source: fc.constantFrom("10.1.0.1:1", "10.2.0.1:1"),
  principal: fc.constantFrom(undefined, "https://issuer.test/alice", "https://other.test/bob"),
  claims: fc.constantFrom(undefined, { groups: ["dev"] }, { groups: "admin" }),
  headers: fc.constantFrom<[string, string][]>([], [["x-group", "admin"]], [["x-group", "dev,admin"]]),
});
const runs = { numRuns: 40 };

describe.each(builds)("abac-authz properties (%s)", (wasm) => {
  it("adding a DENY policy never allows more", async () => {
    await fc.assert(
      fc.asyncProperty(policies, fc.array(rule, { maxLength: 3 }), request, async (base, rules, req) => {
        const before = status(await load(wasm, base), req);
        const after = status(await load(wasm, [...base, policy("extra", { action: "DENY", rules })]), req);
        if (before === 403) expect(after).toBe(403);
      }),
      runs,
    );
  });

  it("adding an ALLOW policy never allows what a DENY matches", async () => {
    await fc.assert(
      fc.asyncProperty(
        policies,
        rule,
        fc.array(rule, { maxLength: 3 }),
        request,
        async (base, denyRule, rules, req) => {
          const deny = policy("deny", { action: "DENY", rules: [denyRule] });
          if (status(await load(wasm, [deny]), req) !== 403) return;
          const plugin = await load(wasm, [...base, deny, policy("extra", { action: "ALLOW", rules })]);
          expect(status(plugin, req)).toBe(403);
        },
      ),
      runs,
    );
  });

  it("dry-run never changes the response", async () => {
    await fc.assert(
      fc.asyncProperty(policies, spec, request, async (base, extra, req) => {
        const before = status(await load(wasm, base), req);
        const shadow = policy("shadow", extra, { dry_run: true });
        expect(status(await load(wasm, [...base, shadow]), req)).toBe(before);
        expect(status(await load(wasm, { dry_run: true, policies: [...base, shadow] }), req)).toBe(200);
      }),
      runs,
    );
  });
});

// abac-authz against the independent Istio evaluator in abac-reference.ts: random ALLOW/DENY policy
// sets over a small vocabulary (so values match often) and random requests must get the same
// decision from both. Semantics: Istio AuthorizationPolicy (istio/api authorization_policy.proto).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { load, policy, status } from "../filters/abac-authz/support.js";
import {
  type Condition,
  decide,
  type Operation,
  type Request,
  type Rule,
  type Source,
  type Spec,
} from "./abac-reference.js";
import { RUNS, timeoutFor } from "./support.js";

const NAMESPACES = ["a", "b", "ab"];
const ACCOUNTS = ["x", "y"];

const some = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const PRINCIPALS = ["cluster.local/ns/a/sa/x", "cluster.local/ns/b/*", "*/sa/y", "*", "cluster.local/ns/ab/sa/x"];
const NAMESPACE_VALUES = ["a", "b", "ab", "a*", "*b", "*"];
const IP_BLOCKS = ["10.0.0.0/8", "10.1.0.0/16", "192.168.1.5", "10.1.2.3/32", "0.0.0.0/0", "172.16.0.0/12"];
const HOSTS = ["svc.test", "*.test", "API.*", "*", "other.example"];
const METHODS = ["GET", "POST", "DELETE", "P*", "*T", "*"];
const PATHS = ["/", "/api/*", "*/x", "*", "/api/x", "/admin"];
const HEADER_VALUES = ["red", "blue", "green", "*"];

// Drops absent fields so the policy JSON carries only what was chosen.
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = (o: object) => Object.keys(o).length > 0;

const source: fc.Arbitrary<Source> = fc
  .record({
    principals: maybe(some(PRINCIPALS)),
    notPrincipals: maybe(some(PRINCIPALS)),
    namespaces: maybe(some(NAMESPACE_VALUES)),
    ipBlocks: maybe(some(IP_BLOCKS)),
  })
  .map(defined)
  .filter(nonEmpty);

const operation: fc.Arbitrary<Operation> = fc
  .record({
    hosts: maybe(some(HOSTS)),
    methods: maybe(some(METHODS)),
    notMethods: maybe(some(METHODS)),
    paths: maybe(some(PATHS)),
    notPaths: maybe(some(PATHS)),
  })
  .map(defined)
  .filter(nonEmpty);

const condition: fc.Arbitrary<Condition> = fc
  .record({
    key: fc.constant("request.headers[x-team]"),
    values: maybe(some(HEADER_VALUES)),
    notValues: maybe(some(HEADER_VALUES)),
  })
  .map(defined)
  .filter((c) => c.values !== undefined || c.notValues !== undefined);

const rule: fc.Arbitrary<Rule> = fc
  .record({
    from: maybe(
      fc.array(
        source.map((s) => ({ source: s })),
        { minLength: 1, maxLength: 2 },
      ),
    ),
    to: maybe(
      fc.array(
        operation.map((o) => ({ operation: o })),
        { minLength: 1, maxLength: 2 },
      ),
    ),
    when: maybe(fc.array(condition, { minLength: 1, maxLength: 2 })),
  })
  .map(defined);

const spec: fc.Arbitrary<Spec> = fc.record({
  action: fc.constantFrom("ALLOW" as const, "DENY" as const),
  rules: fc.oneof(
    { weight: 1, arbitrary: fc.constant<Rule[]>([]) },
    { weight: 6, arbitrary: fc.array(rule, { minLength: 1, maxLength: 3 }) },
  ),
});

const specs = fc.array(spec, { minLength: 1, maxLength: 4 });

const request: fc.Arbitrary<Request> = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
  path: fc.constantFrom("/", "/api/x", "/api/y?q=1", "/admin", "/admin/x", "/apix", "/x?y=/x"),
  host: fc.constantFrom("svc.test", "api.test", "Api.Example", "other.example", "SVC.TEST"),
  peer: maybe(
    fc
      .tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom(...ACCOUNTS))
      .map(([ns, sa]) => `spiffe://cluster.local/ns/${ns}/sa/${sa}`),
  ),
  sourceIp: fc.constantFrom("10.1.2.3", "10.2.0.1", "192.168.1.5", "172.16.0.1", "8.8.8.8"),
  headers: fc.constantFrom<[string, string][][]>(
    [],
    [["x-team", "red"]],
    [["x-team", "blue"]],
    [["x-team", "red,blue"]],
    [["x-team", "red, blue"]],
    [["x-team", "green"]],
    [
      ["x-team", "blue"],
      ["x-team", "green"],
    ],
  ),
});

const policyCase = fc.record({ specs, requests: fc.array(request, { minLength: 1, maxLength: 4 }) });

async function filterDecisions(policies: Spec[], requests: Request[]): Promise<("allow" | "deny")[]> {
  const plugin = await load(
    "build/abac-authz.wasm",
    policies.map((s, i) => policy(`p${i}`, s)),
  );
  expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
  const decisions = requests.map((r) => {
    const code = status(plugin, { ...r, source: `${r.sourceIp}:45678` });
    expect([200, 403], `status ${code}`).toContain(code);
    return code === 200 ? ("allow" as const) : ("deny" as const);
  });
  expect(plugin.trap).toBeNull();
  plugin.shutdown();
  return decisions;
}

describe("abac-authz against an Istio reference evaluator", () => {
  it("generates both allowed and denied requests (over 5% each)", () => {
    const samples = fc.sample(fc.tuple(specs, request), { numRuns: 2000, seed: 7 });
    const denied = samples.filter(([s, r]) => decide(s, r) === "deny").length;
    expect(denied / samples.length).toBeGreaterThan(0.05);
    expect((samples.length - denied) / samples.length).toBeGreaterThan(0.05);
  });

  it(
    `decides like the reference (${RUNS} policy sets)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(policyCase, async ({ specs: policies, requests }) => {
          const actual = await filterDecisions(policies, requests);
          expect(actual).toEqual(requests.map((r) => decide(policies, r)));
        }),
        { numRuns: RUNS },
      );
    },
    timeoutFor(30),
  );
});

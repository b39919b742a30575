// An independent evaluator of a subset of Istio AuthorizationPolicy (ALLOW and DENY only), written
// from the semantics in istio/api security/v1beta1/authorization_policy.proto and Istio's compiled
// matchers (pilot/pkg/security/authz): value forms exact, `prefix*`, `*suffix` and `*` (present).

/** A `from[].source` with the fields this evaluator knows. */
export type Source = { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; ipBlocks?: string[] };

/** A `to[].operation` with the fields this evaluator knows. */
export type Operation = {
  hosts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
};

/** A `when[]` condition on `request.headers[<name>]`. */
export type Condition = { key: string; values?: string[]; notValues?: string[] };

/** One rule: `from`, `to` and `when` are ANDed; absent parts hold. */
export type Rule = { from?: { source: Source }[]; to?: { operation: Operation }[]; when?: Condition[] };

/** An AuthorizationPolicy spec restricted to ALLOW and DENY. */
export type Spec = { action: "ALLOW" | "DENY"; rules?: Rule[] };

/** The request attributes the rules can see. */
export type Request = {
  method: string;
  path: string;
  host: string;
  /** The peer certificate's URI SAN, absent without mTLS. */
  peer?: string;
  /** The direct peer IPv4 address. */
  sourceIp: string;
  /** The request headers, lower-case names; a repeated name appears twice. */
  headers: [string, string][];
};

/** Whether `actual` matches one Istio string value: exact, `prefix*`, `*suffix` or `*` (present). */
export function matchesValue(value: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (value === "*") return true;
  if (value.startsWith("*")) return actual.endsWith(value.slice(1));
  if (value.endsWith("*")) return actual.startsWith(value.slice(0, -1));
  return actual === value;
}

function anyValue(values: string[], actual: string | undefined, match = matchesValue): boolean {
  return values.some((v) => match(v, actual));
}

// Principal values are written without the scheme; Istio puts `spiffe://` before exact and
// prefix values, while `*suffix` and `*` need no scheme.
function matchesPrincipal(value: string, peer: string | undefined): boolean {
  if (value === "*" || value.startsWith("*")) return matchesValue(value, peer);
  return matchesValue(`spiffe://${value}`, peer);
}

// Namespaces compile to the whole-string regex `.*/ns/<ns>/.*` over the principal, `*` as `.*`.
function matchesNamespace(value: string, peer: string | undefined): boolean {
  if (peer === undefined) return false;
  const ns = value
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^.*/ns/${ns}/.*$`).test(peer);
}

function ipv4(text: string): number {
  return text.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

// An IPv4 address or CIDR; a bare address is a /32.
function matchesIpBlock(block: string, ip: string | undefined): boolean {
  if (ip === undefined) return false;
  const [address, bits = "32"] = block.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address!) / size) === Math.floor(ipv4(ip) / size);
}

function matchesHost(value: string, host: string | undefined): boolean {
  return matchesValue(value.toLowerCase(), host?.toLowerCase());
}

// A header condition value matches the joined header as a whole or any of its comma-separated
// elements, untrimmed (Istio's `^v$|^v,.*|.*,v,.*|.*,v$`); `*` asks only that the header exists.
function matchesHeader(value: string, joined: string | undefined): boolean {
  if (joined === undefined) return false;
  if (value === "*") return true;
  return joined === value || joined.split(",").includes(value);
}

// `X` holds when absent or any value matches; `notX` holds when absent or no value matches.
function field(values: string[] | undefined, test: (v: string) => boolean): boolean {
  return values === undefined || values.some(test);
}

function notField(values: string[] | undefined, test: (v: string) => boolean): boolean {
  return values === undefined || !values.some(test);
}

function sourceMatches(s: Source, r: Request): boolean {
  return (
    field(s.principals, (v) => matchesPrincipal(v, r.peer)) &&
    notField(s.notPrincipals, (v) => matchesPrincipal(v, r.peer)) &&
    field(s.namespaces, (v) => matchesNamespace(v, r.peer)) &&
    field(s.ipBlocks, (v) => matchesIpBlock(v, r.sourceIp))
  );
}

function operationMatches(o: Operation, r: Request): boolean {
  const path = r.path.split("?")[0];
  return (
    field(o.hosts, (v) => matchesHost(v, r.host)) &&
    field(o.methods, (v) => matchesValue(v, r.method)) &&
    notField(o.notMethods, (v) => matchesValue(v, r.method)) &&
    field(o.paths, (v) => matchesValue(v, path)) &&
    notField(o.notPaths, (v) => matchesValue(v, path))
  );
}

function headerOf(r: Request, key: string): string | undefined {
  const name = /^request\.headers\[(.+)\]$/.exec(key)![1]!.toLowerCase();
  const values = r.headers.filter(([n]) => n === name).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(",");
}

function conditionMatches(c: Condition, r: Request): boolean {
  const joined = headerOf(r, c.key);
  return (
    (c.values === undefined || anyValue(c.values, joined, matchesHeader)) &&
    (c.notValues === undefined || !anyValue(c.notValues, joined, matchesHeader))
  );
}

/** Whether one rule matches `r`: every present part holds, any entry of `from` and of `to`. */
export function ruleMatches(rule: Rule, r: Request): boolean {
  return (
    (rule.from === undefined || rule.from.some((f) => sourceMatches(f.source, r))) &&
    (rule.to === undefined || rule.to.some((t) => operationMatches(t.operation, r))) &&
    (rule.when ?? []).every((c) => conditionMatches(c, r))
  );
}

/** Whether a policy matches: any of its rules does (no rules match nothing). */
export function policyMatches(spec: Spec, r: Request): boolean {
  return (spec.rules ?? []).some((rule) => ruleMatches(rule, r));
}

/** Istio's decision: a matching DENY denies; no ALLOW policy allows; a matching ALLOW allows; else deny. */
export function decide(specs: Spec[], r: Request): "allow" | "deny" {
  if (specs.some((s) => s.action === "DENY" && policyMatches(s, r))) return "deny";
  const allows = specs.filter((s) => s.action === "ALLOW");
  if (allows.length === 0) return "allow";
  return allows.some((s) => policyMatches(s, r)) ? "allow" : "deny";
}

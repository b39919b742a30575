// Compiles one Istio rule (from, to, when) plus our `condition` into checks. Structural errors
// (wrong JSON types, unknown fields, a CEL expression that does not compile) are recorded on the
// reader and refuse the configuration. Invalid values (a bad CIDR, port or path, an unknown
// `when` key) follow Istio's asymmetric rule instead (filters.md 2.1): they are noted in
// `invalid`, the offending field is left out, and the caller drops the whole rule of an ALLOW
// policy (a smaller allow) but keeps the widened rule of a DENY or AUDIT policy (a bigger deny).

import { asciiLowerCase, CelProgram, CidrSet, JsonReader, PathTemplate, Regex, requestHeaderKey } from "../../assembly";
import {
  AllOf,
  AnyOf,
  CelCheck,
  Check,
  ClaimCheck,
  HeaderCheck,
  IpAttribute,
  IpCheck,
  Not,
  PathCheck,
  PortCheck,
  PrincipalRegexCheck,
  StringAttribute,
  ValuesCheck,
} from "./checks";
import { IstioValue, istioValue } from "./values";

const RULE_FIELDS = ["from", "to", "when", "condition"];
const SOURCE_FIELDS = [
  "principals",
  "notPrincipals",
  "requestPrincipals",
  "notRequestPrincipals",
  "namespaces",
  "notNamespaces",
  "serviceAccounts",
  "notServiceAccounts",
  "ipBlocks",
  "notIpBlocks",
  "remoteIpBlocks",
  "notRemoteIpBlocks",
];
const OPERATION_FIELDS = ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"];

/** What one rule compiles to: its check, and the invalid values found (empty when none). */
export class RuleParse {
  /** The rule's check, with invalid fields left out. */
  check: AllOf = new AllOf([]);
  /** One `path: reason` per invalid value; a non-empty list drops an ALLOW rule. */
  invalid: Array<string> = [];
}

/** Compiles rule `rule` of a policy in `namespace`; `denyLike` is true for DENY, AUDIT and CUSTOM policies. */
export function parseRule(rule: JsonReader, namespace: string, denyLike: bool): RuleParse {
  const out = new RuleParse();
  if (!rule.expectObject() || !rule.allowOnly(RULE_FIELDS)) return out;
  const from = rule.optional("from");
  if (from != null) {
    const entries = from.elements();
    const sources = new Array<Check>();
    for (let i = 0; i < entries.length; i++) {
      const source = entries[i].require("source");
      if (!source.expectObject() || !source.allowOnly(SOURCE_FIELDS)) return out;
      sources.push(parseSource(source, namespace, out));
    }
    out.check.checks.push(new AnyOf(sources));
  }
  const to = rule.optional("to");
  if (to != null) {
    const entries = to.elements();
    const operations = new Array<Check>();
    for (let i = 0; i < entries.length; i++) {
      const operation = entries[i].require("operation");
      if (!operation.expectObject() || !operation.allowOnly(OPERATION_FIELDS)) return out;
      operations.push(parseOperation(operation, out));
    }
    out.check.checks.push(new AnyOf(operations));
  }
  const conditions = rule.optionalArray("when");
  for (let i = 0; i < conditions.length; i++) parseWhen(conditions[i], out);
  const condition = rule.optional("condition");
  if (condition != null) {
    const source = condition.string();
    if (!condition.ok) return out;
    const compiled = CelProgram.compile(source);
    const program = compiled.program;
    if (program == null) condition.fail("invalid CEL expression: " + compiled.error);
    else out.check.checks.push(new CelCheck(program, denyLike));
  }
  return out;
}

// The strings of array member `key` (null when absent); elements must be strings.
function strings(parent: JsonReader, key: string): Array<string> | null {
  const member = parent.optional(key);
  if (member == null) return null;
  const elements = member.elements();
  const out = new Array<string>();
  for (let i = 0; i < elements.length; i++) out.push(elements[i].string());
  return out;
}

// Adds `check` for a field, negated for notX fields; null (an invalid field) adds nothing.
function add(checks: Array<Check>, check: Check | null, negate: bool): void {
  if (check != null) checks.push(negate ? new Not(check) : check);
}

function values(list: Array<string>, ignoreCase: bool = false, exactPrefix: string = ""): Array<IstioValue> {
  const out = new Array<IstioValue>();
  for (let i = 0; i < list.length; i++) out.push(istioValue(list[i], ignoreCase, exactPrefix));
  return out;
}

function parseSource(source: JsonReader, namespace: string, out: RuleParse): Check {
  const checks = new Array<Check>();
  for (let i = 0; i < SOURCE_FIELDS.length; i++) {
    const key = SOURCE_FIELDS[i];
    const list = strings(source, key);
    if (list == null) continue;
    const negate = key.startsWith("not");
    const base = negate ? asciiLowerCase(key.charAt(3)) + key.substring(4) : key;
    const path = source.path + "." + key;
    if (base == "principals") {
      add(checks, new ValuesCheck(StringAttribute.PeerPrincipal, values(list, false, "spiffe://")), negate);
    } else if (base == "requestPrincipals") {
      add(checks, new ValuesCheck(StringAttribute.RequestPrincipal, values(list)), negate);
    } else if (base == "namespaces") {
      add(checks, principalRegexes(list, namespace, false, path, out), negate);
    } else if (base == "serviceAccounts") {
      add(checks, principalRegexes(list, namespace, true, path, out), negate);
    } else {
      const attribute = base == "ipBlocks" ? IpAttribute.Source : IpAttribute.Remote;
      add(checks, ipCheck(attribute, list, path, out), negate);
    }
  }
  return new AllOf(checks);
}

function parseOperation(operation: JsonReader, out: RuleParse): Check {
  const checks = new Array<Check>();
  for (let i = 0; i < OPERATION_FIELDS.length; i++) {
    const key = OPERATION_FIELDS[i];
    const list = strings(operation, key);
    if (list == null) continue;
    const negate = key.startsWith("not");
    const base = negate ? asciiLowerCase(key.charAt(3)) + key.substring(4) : key;
    const path = operation.path + "." + key;
    if (base == "hosts") add(checks, new ValuesCheck(StringAttribute.Host, values(list, true)), negate);
    else if (base == "methods") add(checks, new ValuesCheck(StringAttribute.Method, values(list)), negate);
    else if (base == "ports") add(checks, portCheck(list, path, out), negate);
    else add(checks, pathCheck(list, path, out), negate);
  }
  return new AllOf(checks);
}

// Istio's when keys (filters.md 2.3); `experimental.*` keys read Envoy metadata, which a Wasm
// filter cannot see, so they are invalid here like any unknown key.
function parseWhen(condition: JsonReader, out: RuleParse): void {
  if (!condition.expectObject() || !condition.allowOnly(["key", "values", "notValues"])) return;
  const key = condition.requireString("key");
  const positive = strings(condition, "values");
  const negative = strings(condition, "notValues");
  if (!condition.ok) return;
  if (positive == null && negative == null) {
    out.invalid.push(condition.path + ": needs values or notValues");
    return;
  }
  if (positive != null) add(out.check.checks, whenCheck(key, positive, condition.path + ".values", out), false);
  if (negative != null) add(out.check.checks, whenCheck(key, negative, condition.path + ".notValues", out), true);
}

function whenCheck(key: string, list: Array<string>, path: string, out: RuleParse): Check | null {
  if (key == "source.ip") return ipCheck(IpAttribute.Source, list, path, out);
  if (key == "remote.ip") return ipCheck(IpAttribute.Remote, list, path, out);
  if (key == "destination.ip") return ipCheck(IpAttribute.Destination, list, path, out);
  if (key == "destination.port") return portCheck(list, path, out);
  if (key == "source.namespace") return principalRegexes(list, "", false, path, out);
  if (key == "source.principal")
    return new ValuesCheck(StringAttribute.PeerPrincipal, values(list, false, "spiffe://"));
  if (key == "request.auth.principal") return new ValuesCheck(StringAttribute.RequestPrincipal, values(list));
  if (key == "connection.sni") return new ValuesCheck(StringAttribute.Sni, values(list));
  if (key == "request.auth.audiences") return new ClaimCheck(["aud"], values(list));
  if (key == "request.auth.presenter") return new ClaimCheck(["azp"], values(list));
  if (key.startsWith("request.headers[") && key.endsWith("]") && key.length > 17) {
    return new HeaderCheck(requestHeaderKey(asciiLowerCase(key.substring(16, key.length - 1))), values(list));
  }
  if (key.startsWith("request.auth.claims[")) {
    const claimPath = bracketPath(key.substring(19));
    if (claimPath != null) return new ClaimCheck(claimPath, values(list));
  }
  out.invalid.push(path + ': unsupported key "' + key + '"');
  return null;
}

// `[a][b]` as ["a", "b"]; null unless the text is one or more non-empty bracketed names.
function bracketPath(text: string): Array<string> | null {
  const names = new Array<string>();
  let at = 0;
  while (at < text.length) {
    const close = text.indexOf("]", at);
    if (text.charCodeAt(at) != 0x5b || close <= at + 1) return null;
    const name = text.substring(at + 1, close);
    if (name.includes("[")) return null;
    names.push(name);
    at = close + 1;
  }
  return names.length > 0 ? names : null;
}

function ipCheck(attribute: IpAttribute, list: Array<string>, path: string, out: RuleParse): Check | null {
  const blocks = new CidrSet();
  for (let i = 0; i < list.length; i++) {
    const error = blocks.add(list[i]);
    if (error.length > 0) {
      out.invalid.push(path + "[" + i.toString() + "]: " + error);
      return null;
    }
  }
  return new IpCheck(attribute, blocks);
}

function portCheck(list: Array<string>, path: string, out: RuleParse): Check | null {
  const ports = new Array<i64>();
  for (let i = 0; i < list.length; i++) {
    const text = list[i];
    let valid = text.length > 0 && text.length <= 5;
    for (let j = 0; j < text.length && valid; j++) valid = text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39;
    const port = valid ? I64.parseInt(text) : -1;
    if (port < 0 || port > 65535) {
      out.invalid.push(path + "[" + i.toString() + ']: invalid port "' + text + '"');
      return null;
    }
    ports.push(port);
  }
  return new PortCheck(ports);
}

// Istio accepts `*` only as a whole-value prefix/suffix/presence form; `{*}` and `{**}` make a
// template; any other `*`, `{` or `}` is invalid (filters.md 2.2).
function pathCheck(list: Array<string>, path: string, out: RuleParse): Check | null {
  const plain = new Array<IstioValue>();
  const templates = new Array<PathTemplate>();
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    const at = path + "[" + i.toString() + "]";
    if (PathTemplate.isTemplate(value)) {
      const compiled = PathTemplate.compile(value);
      const template = compiled.template;
      if (template == null) {
        out.invalid.push(at + ": " + compiled.error);
        return null;
      }
      templates.push(template);
      continue;
    }
    let core = value.startsWith("*")
      ? value.substring(1)
      : value.endsWith("*")
        ? value.substring(0, value.length - 1)
        : value;
    if (value == "*") core = "";
    if (core.includes("*") || core.includes("{") || core.includes("}")) {
      out.invalid.push(at + ': invalid path "' + value + '"');
      return null;
    }
    plain.push(istioValue(value));
  }
  return new PathCheck(plain, templates);
}

// Istio compiles namespaces to the principal regex `.*/ns/<ns>/.*` and serviceAccounts (`ns/sa`,
// or `sa` in the policy's namespace) to `.*/ns/<ns>/sa/<sa>`; `*` in a namespace becomes `.*`.
function principalRegexes(
  list: Array<string>,
  namespace: string,
  serviceAccounts: bool,
  path: string,
  out: RuleParse,
): Check | null {
  const regexes = new Array<Regex>();
  for (let i = 0; i < list.length; i++) {
    let pattern: string;
    if (serviceAccounts) {
      const value = list[i];
      const slash = value.indexOf("/");
      const ns = slash < 0 ? namespace : value.substring(0, slash);
      const sa = slash < 0 ? value : value.substring(slash + 1);
      if (value.includes("*") || sa.length == 0 || ns.length == 0 || sa.includes("/")) {
        out.invalid.push(path + "[" + i.toString() + ']: invalid service account "' + value + '"');
        return null;
      }
      pattern = ".*/ns/" + quote(ns) + "/sa/" + quote(sa);
    } else {
      pattern = ".*/ns/" + quote(list[i]) + "/.*";
    }
    const compiled = Regex.compile(pattern);
    const regex = compiled.regex;
    if (regex == null) {
      out.invalid.push(path + "[" + i.toString() + "]: " + compiled.error);
      return null;
    }
    regexes.push(regex);
  }
  return new PrincipalRegexCheck(regexes);
}

// Escapes regex syntax; `*` becomes `.*` as in Istio's namespace matcher.
function quote(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c == "*") out += ".*";
    else if ("\\.+?()[]{}|^$".includes(c)) out += "\\" + c;
    else out += c;
  }
  return out;
}

// Parses the abac-authz configuration once, in onConfigure: a list of Istio AuthorizationPolicy
// specs with a name, plus our options. Structural errors refuse the configuration and name the
// JSON path; invalid rule values follow Istio's asymmetric rule (see rule-parser.ts).

import { Counter, JsonReader, JsonValue } from "../../assembly";
import { AllOf } from "./checks";
import { ExtAuthzProvider, parseProviders } from "./ext-authz-provider";
import { parseRule } from "./rule-parser";

/** A policy's action. */
export enum Action {
  Allow,
  Deny,
  Audit,
  /** Delegated to an extension provider (ext_authz) when a rule matches. */
  Custom,
}

/** One compiled rule; `index` is its position in the policy's rules (for ids and counters). */
export class Rule {
  /** Counts the requests this rule matched; AuthzMetrics defines it. */
  matchedCounter: Counter | null = null;

  constructor(
    public index: i32,
    public check: AllOf,
  ) {}
}

/** One compiled AuthorizationPolicy. */
export class Policy {
  /** The compiled rules; dropped ALLOW rules are absent. */
  rules: Array<Rule> = [];
  /** The provider a CUSTOM policy delegates to; null for the other actions. */
  provider: ExtAuthzProvider | null = null;
  /** Counts the requests this policy matched; AuthzMetrics defines it. */
  matchedCounter: Counter | null = null;

  constructor(
    public name: string,
    public namespace: string,
    public action: Action,
    /** Istio's `istio.io/dry-run` annotation: evaluated, logged and counted, never enforced. */
    public dryRun: bool,
  ) {}

  /** Envoy's policy id as Istio generates it: `ns[<ns>]-policy[<name>]-rule[<index>]`. */
  ruleId(index: i32): string {
    return "ns[" + this.namespace + "]-policy[" + this.name + "]-rule[" + index.toString() + "]";
  }
}

/** The parsed configuration. */
export class AuthzConfig {
  policies: Array<Policy> = [];
  /** Istio's numTrustedProxies (Envoy xff_num_trusted_hops) for `remote.ip`. */
  trustedHops: i32 = 0;
  /** The decision when no enforced ALLOW policy exists: Istio allows. */
  defaultAllow: bool = true;
  /** Every policy is dry-run: nothing is ever denied. */
  dryRun: bool = false;
  /** The extension providers CUSTOM policies may name. */
  providers: Array<ExtAuthzProvider> = [];
  /** One warning per invalid rule value (dropped ALLOW rules, widened DENY rules). */
  warnings: Array<string> = [];
}

/** A configuration, or the reason it was refused. */
export class ConfigResult {
  constructor(
    public config: AuthzConfig | null,
    public error: string,
  ) {}
}

const TOP_FIELDS = ["policies", "xff_num_trusted_hops", "default_action", "dry_run", "extension_providers"];
const POLICY_FIELDS = ["name", "namespace", "dry_run", "spec"];
// selector and targetRef(s) choose workloads in Istio; here the filter's placement does.
const SPEC_FIELDS = ["action", "rules", "selector", "targetRef", "targetRefs", "provider"];

/** Builds the configuration from parsed JSON, or explains the first structural problem. */
export function parseConfig(json: JsonValue): ConfigResult {
  const config = new AuthzConfig();
  const root = JsonReader.root(json);
  if (root.expectObject() && root.allowOnly(TOP_FIELDS)) {
    const hops = root.optional("xff_num_trusted_hops");
    if (hops != null) {
      const n = hops.number();
      if (hops.ok && (n < 0 || n > 64 || n != Math.floor(n))) hops.fail("must be an integer from 0 to 64");
      config.trustedHops = i32(n);
    }
    const defaultAction = root.optional("default_action");
    if (defaultAction != null) {
      const text = defaultAction.string();
      if (text != "ALLOW" && text != "DENY") defaultAction.fail('must be "ALLOW" or "DENY"');
      config.defaultAllow = text == "ALLOW";
    }
    config.dryRun = root.optionalBool("dry_run");
    config.providers = parseProviders(root.optionalArray("extension_providers"));
    const policies = root.optionalArray("policies");
    for (let i = 0; i < policies.length && root.ok; i++) parsePolicy(policies[i], config);
  }
  return root.ok ? new ConfigResult(config, "") : new ConfigResult(null, root.error);
}

function parsePolicy(reader: JsonReader, config: AuthzConfig): void {
  if (!reader.expectObject() || !reader.allowOnly(POLICY_FIELDS)) return;
  const nameField = reader.require("name");
  const name = nameField.string();
  if (reader.ok && name.length == 0) nameField.fail("must not be empty");
  const namespace = reader.optionalString("namespace", "default");
  const dryRun = reader.optionalBool("dry_run") || config.dryRun;
  const spec = reader.require("spec");
  if (!reader.ok || !spec.expectObject() || !spec.allowOnly(SPEC_FIELDS)) return;
  for (let i = 0; i < config.policies.length; i++) {
    if (config.policies[i].name == name && config.policies[i].namespace == namespace) {
      nameField.fail('duplicate policy "' + name + '"');
      return;
    }
  }
  const actionField = spec.optional("action");
  let action = Action.Allow;
  if (actionField != null) {
    const text = actionField.string();
    if (text == "DENY") action = Action.Deny;
    else if (text == "AUDIT") action = Action.Audit;
    else if (text == "CUSTOM") action = Action.Custom;
    else if (text != "ALLOW") actionField.fail('must be "ALLOW", "DENY", "AUDIT" or "CUSTOM"');
  }
  const policy = new Policy(name, namespace, action, dryRun);
  policy.provider = providerOf(spec, action, config);
  const rules = spec.optionalArray("rules");
  for (let i = 0; i < rules.length && spec.ok; i++) {
    const parsed = parseRule(rules[i], namespace, action != Action.Allow);
    if (parsed.invalid.length == 0) {
      policy.rules.push(new Rule(i, parsed.check));
      continue;
    }
    // Istio: an invalid ALLOW rule is dropped; in DENY and AUDIT only the offending field is.
    const what = action == Action.Allow ? "rule dropped" : "invalid fields ignored, rule widened";
    config.warnings.push(policy.ruleId(i) + ": " + what + ": " + parsed.invalid.join("; "));
    if (action != Action.Allow) policy.rules.push(new Rule(i, parsed.check));
  }
  config.policies.push(policy);
}

// Istio: a CUSTOM policy names one of the mesh's extension providers, and every CUSTOM policy on a
// workload must name the same one.
function providerOf(spec: JsonReader, action: Action, config: AuthzConfig): ExtAuthzProvider | null {
  const field = spec.optional("provider");
  if (action != Action.Custom) {
    if (field != null && spec.ok) field.fail("is only valid with action CUSTOM");
    return null;
  }
  if (field == null) {
    spec.fail('action CUSTOM needs "provider": {"name": ...}');
    return null;
  }
  if (!field.expectObject() || !field.allowOnly(["name"])) return null;
  const nameField = field.require("name");
  const name = nameField.string();
  if (!spec.ok) return null;
  let provider: ExtAuthzProvider | null = null;
  for (let i = 0; i < config.providers.length; i++)
    if (config.providers[i].name == name) provider = config.providers[i];
  if (provider == null) {
    nameField.fail('names no provider of "extension_providers": "' + name + '"');
    return null;
  }
  for (let i = 0; i < config.policies.length; i++) {
    const other = config.policies[i].provider;
    if (other != null && other != provider) {
      nameField.fail(
        'CUSTOM policies must all use one provider (Istio allows one per workload), found "' +
          other.name +
          '" and "' +
          name +
          '"',
      );
      return null;
    }
  }
  return provider;
}

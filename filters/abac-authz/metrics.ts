// The filter's counters, all defined in onConfigure so every policy and rule reports from zero.

import { Counter, Label } from "../../assembly";
import { Policy, Rule } from "./config";
import { MatchListener } from "./engine";

/** Decision counters plus one counter per policy and per rule. */
export class AuthzMetrics extends MatchListener {
  /** Requests the enforced policies allowed. */
  allowed: Counter = Counter.define("abac_authz_allowed");
  /** Requests the enforced policies denied (answered 403). */
  denied: Counter = Counter.define("abac_authz_denied");
  /** Requests the dry-run policies would have allowed (Istio's shadow_allowed). */
  dryRunAllowed: Counter = Counter.define("abac_authz_dry_run_allowed");
  /** Requests the dry-run policies would have denied (Istio's shadow_denied). */
  dryRunDenied: Counter = Counter.define("abac_authz_dry_run_denied");
  /** CUSTOM checks the provider allowed (Envoy's ext_authz.ok). */
  extAuthzOk: Counter = Counter.define("abac_authz_ext_authz_ok");
  /** CUSTOM checks the provider denied (ext_authz.denied). */
  extAuthzDenied: Counter = Counter.define("abac_authz_ext_authz_denied");
  /** CUSTOM checks that failed: no answer, a 5xx, or a refused call (ext_authz.error). */
  extAuthzError: Counter = Counter.define("abac_authz_ext_authz_error");
  /** Failed CUSTOM checks let through by `failOpen` (ext_authz.failure_mode_allowed). */
  extAuthzFailOpen: Counter = Counter.define("abac_authz_ext_authz_failure_mode_allowed");

  /** Defines the per-policy and per-rule counters for `policies`, each kept on its policy and rule. */
  constructor(policies: Array<Policy>) {
    super();
    for (let i = 0; i < policies.length; i++) {
      const policy = policies[i];
      const policyLabel = new Label("policy", policy.namespace + "." + policy.name);
      policy.matchedCounter = Counter.define("abac_authz_policy_matched", [policyLabel]);
      for (let j = 0; j < policy.rules.length; j++) {
        const rule = policy.rules[j];
        const labels = [policyLabel, new Label("rule", rule.index.toString())];
        rule.matchedCounter = Counter.define("abac_authz_rule_matched", labels);
      }
    }
  }

  matched(policy: Policy, rule: Rule): void {
    policy.matchedCounter!.increment();
    rule.matchedCounter!.increment();
  }
}

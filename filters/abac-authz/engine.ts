// Istio's evaluation order (filters.md 2.1): any matching DENY denies; with no ALLOW policy the
// default applies (Istio: allow); otherwise some ALLOW policy must match. AUDIT policies never
// change the decision. Policies are tried in configuration order; the first match decides.

import { Action, Policy, Rule } from "./config";
import { RequestView } from "./request-view";

/** What decided a request. */
export class Decision {
  constructor(
    /** Whether the request may proceed. */
    public allowed: bool,
    /** The deciding policy, or null for the default or an implicit deny. */
    public policy: Policy | null,
    /** The deciding rule (index in the policy's rules), or -1. */
    public rule: i32,
  ) {}

  /** The deciding rule's Istio id, or `default` (no ALLOW policy) / `none` (no ALLOW matched). */
  describe(): string {
    const policy = this.policy;
    if (policy != null) return policy.ruleId(this.rule);
    return this.allowed ? "default" : "none";
  }
}

/** The first rule of `policy` that matches, or null. */
export function matchingRule(policy: Policy, view: RequestView): Rule | null {
  for (let i = 0; i < policy.rules.length; i++) if (policy.rules[i].check.matches(view)) return policy.rules[i];
  return null;
}

/** Receives every policy that matched while deciding (for counters). */
export abstract class MatchListener {
  /** Called once per matching policy with its first matching rule. */
  abstract matched(policy: Policy, rule: Rule): void;
}

/** Decides over `policies` (all enforced, or all dry-run); `defaultAllow` applies when none is an ALLOW policy. */
export function decide(
  policies: Array<Policy>,
  view: RequestView,
  defaultAllow: bool,
  listener: MatchListener,
): Decision {
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i];
    if (policy.action != Action.Deny) continue;
    const rule = matchingRule(policy, view);
    if (rule == null) continue;
    listener.matched(policy, rule);
    return new Decision(false, policy, rule.index);
  }
  let anyAllow = false;
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i];
    if (policy.action != Action.Allow) continue;
    anyAllow = true;
    const rule = matchingRule(policy, view);
    if (rule == null) continue;
    listener.matched(policy, rule);
    return new Decision(true, policy, rule.index);
  }
  return new Decision(anyAllow ? false : defaultAllow, null, -1);
}

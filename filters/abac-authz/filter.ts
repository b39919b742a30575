// Glue between the host and the policies: decide each request in onRequestHeaders, answer a
// denial as Envoy's RBAC filter does (403, `RBAC: access denied`), log and count.

import {
  FilterHeadersStatus,
  HttpContext,
  RootContext,
  logInfo,
  logError,
  logWarn,
  pluginConfigurationJson,
  sendLocalResponse,
} from "../../assembly";
import { Action, AuthzConfig, Policy, parseConfig } from "./config";
import { Decision, decide, matchingRule } from "./engine";
import { AuthzMetrics } from "./metrics";
import { RequestView } from "./request-view";

/** The plugin: holds the policies, split into enforced and dry-run, shared by every stream. */
export class AbacAuthzRoot extends RootContext {
  config: AuthzConfig = new AuthzConfig();
  enforced: Array<Policy> = [];
  dryRun: Array<Policy> = [];
  audits: Array<Policy> = [];
  metrics: AuthzMetrics | null = null;

  onConfigure(size: u32): bool {
    const json = pluginConfigurationJson();
    if (!json.ok) {
      logError("abac-authz: invalid configuration: not JSON at byte " + json.offset.toString() + ": " + json.error);
      return false;
    }
    const parsed = parseConfig(json.value!);
    const config = parsed.config;
    if (config == null) {
      logError("abac-authz: invalid configuration: " + parsed.error);
      return false;
    }
    for (let i = 0; i < config.warnings.length; i++) logWarn("abac-authz: " + config.warnings[i]);
    this.config = config;
    this.enforced = [];
    this.dryRun = [];
    this.audits = [];
    for (let i = 0; i < config.policies.length; i++) {
      const policy = config.policies[i];
      if (policy.action == Action.Audit) this.audits.push(policy);
      else if (policy.dryRun) this.dryRun.push(policy);
      else this.enforced.push(policy);
    }
    this.metrics = new AuthzMetrics(config.policies);
    return true;
  }

  newHttpContext(contextId: u32): HttpContext | null {
    return new AbacAuthzStream(contextId, this.id, this);
  }
}

// Response-code details may not contain spaces or odd characters; policy names are DNS labels.
function detailsFor(decision: Decision): string {
  const policy = decision.policy;
  if (policy == null) return "abac_authz_denied";
  let name = "";
  for (let i = 0; i < policy.name.length; i++) {
    const c = policy.name.charCodeAt(i);
    const keep =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x2e;
    name += keep ? String.fromCharCode(c) : "_";
  }
  return "abac_authz_denied_" + name;
}

class AbacAuthzStream extends HttpContext {
  constructor(
    id: u32,
    rootId: u32,
    private root: AbacAuthzRoot,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const root = this.root;
    const metrics = root.metrics!;
    const view = new RequestView(root.config.trustedHops);
    const decision = root.config.dryRun
      ? new Decision(true, null, -1)
      : decide(root.enforced, view, root.config.defaultAllow, metrics);
    if (root.dryRun.length > 0) {
      const shadow = decide(root.dryRun, view, root.config.defaultAllow, metrics);
      (shadow.allowed ? metrics.dryRunAllowed : metrics.dryRunDenied).increment();
      logInfo(
        "abac-authz: dry-run: would " +
          (shadow.allowed ? "allow" : "deny") +
          " " +
          this.target(view) +
          " by " +
          shadow.describe(),
      );
    }
    this.audit(view, decision);
    if (decision.allowed) {
      metrics.allowed.increment();
      return FilterHeadersStatus.Continue;
    }
    metrics.denied.increment();
    logInfo("abac-authz: denied " + this.target(view) + " by " + decision.describe());
    sendLocalResponse(403, detailsFor(decision), "RBAC: access denied");
    return FilterHeadersStatus.StopIteration;
  }

  // Istio AUDIT: a matching policy marks the request for the audit log; the decision is unchanged.
  private audit(view: RequestView, decision: Decision): void {
    const audits = this.root.audits;
    for (let i = 0; i < audits.length; i++) {
      const policy = audits[i];
      const rule = matchingRule(policy, view);
      if (rule == null) continue;
      this.root.metrics!.matched(policy, rule);
      const verdict = decision.allowed ? "allowed" : "denied";
      logInfo(
        "abac-authz: audit " +
          policy.ruleId(rule.index) +
          ": " +
          this.target(view) +
          " " +
          verdict +
          " by " +
          decision.describe(),
      );
    }
  }

  private target(view: RequestView): string {
    const method = view.method();
    const path = view.path();
    return (method == null ? "-" : method) + " " + (path == null ? "-" : path);
  }
}

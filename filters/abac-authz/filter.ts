// Glue between the host and the policies: decide each request in onRequestHeaders (after asking
// the CUSTOM provider when a CUSTOM policy matches), answer a denial as Envoy's RBAC filter does
// (403, `RBAC: access denied`) or as its ext_authz filter does, log and count.

import {
  FilterHeadersStatus,
  Header,
  HttpCallHandler,
  HttpCallResponse,
  HttpContext,
  RootContext,
  continueRequest,
  httpCall,
  logInfo,
  logError,
  logWarn,
  pluginConfigurationJson,
  response,
  sendLocalResponse,
  sendLocalResponseBytes,
} from "../../assembly";
import { Action, AuthzConfig, Policy, parseConfig } from "./config";
import { Decision, decide, matchingRule } from "./engine";
import { CheckOutcome, applyToRequest, checkRequest, checkResult } from "./ext-authz";
import { ExtAuthzProvider } from "./ext-authz-provider";
import { AuthzMetrics } from "./metrics";
import { RequestView } from "./request-view";

/** The plugin: holds the policies, split into enforced and dry-run, shared by every stream. */
export class AbacAuthzRoot extends RootContext {
  config: AuthzConfig = new AuthzConfig();
  enforced: Array<Policy> = [];
  dryRun: Array<Policy> = [];
  audits: Array<Policy> = [];
  /** Enforced CUSTOM policies: the first one that matches sends the request to its provider. */
  custom: Array<Policy> = [];
  metrics: AuthzMetrics | null = null;
  /** Whether the last request's rules read a header besides the pseudo-headers: the next reads the whole map first. */
  readHeadersFirst: bool = false;

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
    this.custom = [];
    for (let i = 0; i < config.policies.length; i++) {
      const policy = config.policies[i];
      if (policy.action == Action.Audit) this.audits.push(policy);
      else if (policy.action == Action.Custom && !policy.dryRun) this.custom.push(policy);
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
  private view: RequestView | null = null;
  /** Headers an allowing CUSTOM provider adds to the response; null when none asked to. */
  private responseHeaders: Array<Header> | null = null;

  constructor(
    id: u32,
    rootId: u32,
    private root: AbacAuthzRoot,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const view = new RequestView(this.root.config.trustedHops, this.root.readHeadersFirst);
    this.view = view;
    const status = this.judge(view);
    this.root.readHeadersFirst = view.headersWanted;
    return status;
  }

  // CUSTOM policies first: the first that matches asks its provider; else DENY and ALLOW decide.
  private judge(view: RequestView): FilterHeadersStatus {
    const custom = this.root.custom;
    for (let i = 0; i < custom.length; i++) {
      const rule = matchingRule(custom[i], view);
      if (rule == null) continue;
      this.root.metrics!.matched(custom[i], rule);
      return this.askProvider(custom[i], rule.index, view);
    }
    return this.decide(view);
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const added = this.responseHeaders;
    if (added == null) return FilterHeadersStatus.Continue;
    for (let i = 0; i < added.length; i++) response.headers.add(added[i].name, added[i].value);
    return FilterHeadersStatus.Continue;
  }

  // Istio CUSTOM: the provider's answer comes first; only an allowed request reaches DENY and ALLOW.
  private askProvider(policy: Policy, rule: i32, view: RequestView): FilterHeadersStatus {
    const provider = policy.provider!;
    const handler = new CheckHandler(this, provider, policy.ruleId(rule));
    if (httpCall(provider.cluster, checkRequest(provider), provider.timeoutMs, handler).ok) {
      return FilterHeadersStatus.StopIteration;
    }
    logWarn("abac-authz: the check could not be sent to cluster " + provider.cluster + " (is it defined?)");
    return this.failedCheck(provider, policy.ruleId(rule)) ? this.decide(view) : FilterHeadersStatus.StopIteration;
  }

  /** Finishes a request paused for a CUSTOM check with the provider's answer. */
  checked(provider: ExtAuthzProvider, ruleId: string, answer: HttpCallResponse): void {
    const result = checkResult(provider, answer);
    const metrics = this.root.metrics!;
    if (result.outcome == CheckOutcome.Denied) {
      metrics.extAuthzDenied.increment();
      metrics.denied.increment();
      const by = ruleId + " (provider " + provider.name + " answered " + result.status.toString() + ")";
      logInfo("abac-authz: denied " + this.target(this.view!) + " by " + by);
      sendLocalResponseBytes(result.status, "ext_authz_denied", result.replyBody, result.replyHeaders);
      return;
    }
    if (result.outcome == CheckOutcome.Error && !this.failedCheck(provider, ruleId)) return;
    if (result.outcome == CheckOutcome.Allowed) {
      metrics.extAuthzOk.increment();
      applyToRequest(result);
      this.responseHeaders = result.downstreamAdd;
      // DENY and ALLOW judge the request as the provider left it.
      this.view = new RequestView(this.root.config.trustedHops);
    }
    if (this.decide(this.view!) == FilterHeadersStatus.Continue) continueRequest();
  }

  // Envoy's ext_authz on an error: with failOpen the request goes on (to DENY and ALLOW), without
  // it the answer is statusOnError. True when the request goes on.
  private failedCheck(provider: ExtAuthzProvider, ruleId: string): bool {
    const metrics = this.root.metrics!;
    metrics.extAuthzError.increment();
    if (provider.failOpen) {
      metrics.extAuthzFailOpen.increment();
      logWarn("abac-authz: the check by provider " + provider.name + " failed; failOpen lets the request go on");
      return true;
    }
    metrics.denied.increment();
    const by = ruleId + " (provider " + provider.name + " failed)";
    logInfo("abac-authz: denied " + this.target(this.view!) + " by " + by);
    sendLocalResponse(provider.statusOnError, "ext_authz_error");
    return false;
  }

  // DENY, then ALLOW, as Istio; dry-run policies are judged alongside and only logged.
  private decide(view: RequestView): FilterHeadersStatus {
    const root = this.root;
    const metrics = root.metrics!;
    const decision = root.config.dryRun
      ? new Decision(true, null, -1)
      : decide(root.enforced, view, root.config.defaultAllow, metrics);
    if (root.dryRun.length > 0) this.dryRun(view);
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

  // A dry-run CUSTOM policy is only reported: no check is sent.
  private dryRun(view: RequestView): void {
    const policies = this.root.dryRun;
    const metrics = this.root.metrics!;
    for (let i = 0; i < policies.length; i++) {
      const policy = policies[i];
      if (policy.action != Action.Custom) continue;
      const rule = matchingRule(policy, view);
      if (rule == null) continue;
      metrics.matched(policy, rule);
      const provider = policy.provider!.name;
      logInfo(
        "abac-authz: dry-run: would ask provider " +
          provider +
          " about " +
          this.target(view) +
          " by " +
          policy.ruleId(rule.index),
      );
    }
    const shadow = decide(policies, view, this.root.config.defaultAllow, metrics);
    (shadow.allowed ? metrics.dryRunAllowed : metrics.dryRunDenied).increment();
    const verdict = shadow.allowed ? "allow" : "deny";
    logInfo("abac-authz: dry-run: would " + verdict + " " + this.target(view) + " by " + shadow.describe());
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

class CheckHandler extends HttpCallHandler {
  constructor(
    private stream: AbacAuthzStream,
    private provider: ExtAuthzProvider,
    private ruleId: string,
  ) {
    super();
  }

  onResponse(answer: HttpCallResponse): void {
    this.stream.checked(this.provider, this.ruleId, answer);
  }
}

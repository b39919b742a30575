// Where each envoy-as filter goes in Istio's chain and how it fails. Istio orders WasmPlugins by
// phase (AUTHN, then AUTHZ, then STATS, then unspecified just before the router) and within a phase
// by priority, higher first (istio/api extensions/v1alpha1/wasm.proto; distribution.md 1.2, 1.3).

/** A WasmPlugin phase. */
export type Phase = "UNSPECIFIED_PHASE" | "AUTHN" | "AUTHZ" | "STATS";

/** A WasmPlugin failStrategy. */
export type FailStrategy = "FAIL_CLOSE" | "FAIL_OPEN";

/** Phase, priority and failure behaviour of one filter, with the reason shown beside the generated YAML. */
export interface Placement {
  /** Istio phase; UNSPECIFIED_PHASE is written by leaving `phase` out. */
  phase: Phase;
  /** Order inside the phase, higher first. */
  priority: number;
  /** What a fetch failure or VM crash does to traffic. */
  failStrategy: FailStrategy;
  /** Why, in one line. */
  reason: string;
}

/** The placement of `filter`; filters envoy-as does not ship go last, failing closed. */
export function placementFor(filter: string): Placement {
  switch (filter) {
    case "jwt-authn":
      // Priority above abac-authz's so the order holds even if both are moved into one phase.
      return {
        phase: "AUTHN",
        priority: 20,
        failStrategy: "FAIL_CLOSE",
        reason: "verifies tokens before Istio's authn and every AUTHZ plugin, which read its claims; fails closed",
      };
    case "abac-authz":
      return {
        phase: "AUTHZ",
        priority: 10,
        failStrategy: "FAIL_CLOSE",
        reason: "decides after AUTHN plugins (jwt-authn's claims) and before Istio's RBAC; fails closed",
      };
    case "telemetry":
      return {
        phase: "STATS",
        priority: 0,
        failStrategy: "FAIL_OPEN",
        reason: "counts requests beside Istio's stats filter; a broken metrics plugin must not stop traffic",
      };
    case "header-rewrite":
      return {
        phase: "UNSPECIFIED_PHASE",
        priority: 0,
        failStrategy: "FAIL_CLOSE",
        reason:
          "no phase: last before the router, so policies judge the request as the client sent it and rewrites " +
          "can use jwt-authn's claims; fails closed as routing without the rewrite could reach the wrong backend",
      };
    default:
      return {
        phase: "UNSPECIFIED_PHASE",
        priority: 0,
        failStrategy: "FAIL_CLOSE",
        reason: "not an envoy-as filter: Istio's defaults (end of the chain, fail closed)",
      };
  }
}

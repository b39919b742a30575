// The filter's counters. Envoy's jwt_authn has allowed, denied, cors_preflight_bypassed and the
// jwt cache hit/miss counts; the denial and token-failure counters here also carry a `reason`
// label (statusReason), and signature checks are counted per alg so a cache hit is observable.

import { Counter, CounterFamily } from "../../assembly";

/** Every counter of one plugin instance; define it in onConfigure. */
export class JwtMetrics {
  /** Requests that passed verification (their rule's requirement held). */
  allowed: Counter = Counter.define("jwt_authn_allowed");
  /** Requests denied, by `reason`. */
  denied: CounterFamily = new CounterFamily("jwt_authn_denied", ["reason"]);
  /** CORS preflight requests let through without verification. */
  corsPreflightBypassed: Counter = Counter.define("jwt_authn_cors_preflight_bypassed");
  /** Requests no rule asked to verify. */
  notRequired: Counter = Counter.define("jwt_authn_not_required");
  /** Tokens found in the verification cache. */
  cacheHit: Counter = Counter.define("jwt_authn_jwt_cache_hit");
  /** Tokens not found in the verification cache. */
  cacheMiss: Counter = Counter.define("jwt_authn_jwt_cache_miss");
  /** Tokens that failed verification with a provider, by `reason` (also under allow_missing_or_failed). */
  tokenFailed: CounterFamily = new CounterFamily("jwt_authn_token_failed", ["reason"]);
  /** JWKS fetches this instance made that delivered keys (Envoy's jwks_fetch_success). */
  jwksFetchSuccess: Counter = Counter.define("jwt_authn_jwks_fetch_success");
  /** JWKS fetches this instance made that failed after their retries (Envoy's jwks_fetch_failed). */
  jwksFetchFailed: Counter = Counter.define("jwt_authn_jwks_fetch_failed");
  /** Signature verifications performed, by `alg`. */
  signatureChecks: CounterFamily = new CounterFamily("jwt_authn_signature_checks", ["alg"]);
}

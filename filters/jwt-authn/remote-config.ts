// Where and how often a provider's JWKS is fetched: Envoy's RemoteJwks (http_uri, cache_duration,
// async_fetch, retry_policy) in proto JSON, or an Istio jwtRule's jwksUri with the cluster named
// by the envoy-as field jwksCluster (a Wasm filter can only call a cluster Envoy already has).

import { JsonReader } from "../../assembly";

// Envoy's defaults (config.proto RemoteJwks, JwksAsyncFetch, and the retry policy of
// jwks_cache.cc): keys live 600 s; a failed fetch is retried after 1 s; with a retry_policy that
// names no num_retries one retry is made, backing off from 1 s up to ten times that.
const DEFAULT_CACHE_MS: i64 = 600_000;
const DEFAULT_FAILED_REFETCH_MS: i64 = 1_000;
const DEFAULT_BACKOFF_BASE_MS: i64 = 1_000;
// proxy_http_call refuses a timeout of 2^31 ms or more (abi.md 3.5).
const MAX_TIMEOUT_MS: f64 = 2147483647;

/** How one provider's keys are fetched and kept. */
export class RemoteJwksConfig {
  /** The JWKS URI, as configured. */
  uri: string = "";
  /** The Envoy cluster the request goes to. */
  cluster: string = "";
  /** The request's `:authority` (the URI's host and port). */
  authority: string = "";
  /** The request's `:path` (the URI's path and query; "/" when it has none). */
  path: string = "/";
  /** The fetch timeout (http_uri.timeout), at least 1 ms. */
  timeoutMs: u32 = 5000;
  /** How long fetched keys are used before a refresh starts (cache_duration). */
  cacheMs: i64 = DEFAULT_CACHE_MS;
  /** The wait after a failed fetch before another one (async_fetch.failed_refetch_duration). */
  failedRefetchMs: i64 = DEFAULT_FAILED_REFETCH_MS;
  /** Retries after a failed attempt (retry_policy.num_retries); 0 without a retry policy. */
  numRetries: i32 = 0;
  /** The first retry's delay; each next one doubles, up to `backoffMaxMs`. */
  backoffBaseMs: i64 = DEFAULT_BACKOFF_BASE_MS;
  /** The longest delay between retries. */
  backoffMaxMs: i64 = DEFAULT_BACKOFF_BASE_MS * 10;

  /** The shared-data key of these keys: one per cluster and URI, so every provider and worker fetching them shares one copy. */
  sharedKey(): string {
    return "envoy_as.jwt_authn.jwks " + this.cluster + " " + this.uri;
  }

  /** The delay before retry number `retry` (1 for the first). */
  backoffMs(retry: i32): i64 {
    let delay = this.backoffBaseMs;
    for (let i = 1; i < retry && delay < this.backoffMaxMs; i++) delay *= 2;
    return delay < this.backoffMaxMs ? delay : this.backoffMaxMs;
  }
}

/** Reads Envoy's `remote_jwks`; null with the error recorded on the reader. */
export function readRemoteJwks(reader: JsonReader): RemoteJwksConfig | null {
  if (!reader.expectObject()) return null;
  if (!reader.allowOnly(["http_uri", "cache_duration", "async_fetch", "retry_policy"])) return null;
  const config = new RemoteJwksConfig();
  const http = reader.require("http_uri");
  if (!http.expectObject() || !http.allowOnly(["uri", "cluster", "timeout"])) return null;
  readUri(http.require("uri"), config);
  config.cluster = readCluster(http.require("cluster"));
  config.timeoutMs = readTimeout(http.require("timeout"));
  const cache = reader.optional("cache_duration");
  if (cache != null) config.cacheMs = readPositiveMs(cache);
  const asyncFetch = reader.optional("async_fetch");
  // fast_listener only decides whether Envoy's listener waits for the first fetch; a Wasm filter
  // never holds the listener, so it is accepted and has no effect.
  if (
    asyncFetch != null &&
    asyncFetch.expectObject() &&
    asyncFetch.allowOnly(["fast_listener", "failed_refetch_duration"])
  ) {
    asyncFetch.optionalBool("fast_listener");
    const refetch = asyncFetch.optional("failed_refetch_duration");
    if (refetch != null) config.failedRefetchMs = readPositiveMs(refetch);
  }
  const retry = reader.optional("retry_policy");
  if (retry != null) readRetryPolicy(retry, config);
  return reader.ok ? config : null;
}

/** Reads an Istio jwtRule's `jwksUri`, `jwksCluster` and `timeout` (default 5 s); Istio's remote keys live 5 minutes. */
export function readIstioRemote(rule: JsonReader, uri: JsonReader): RemoteJwksConfig | null {
  const config = new RemoteJwksConfig();
  readUri(uri, config);
  config.cluster = readCluster(rule.require("jwksCluster"));
  const timeout = rule.optional("timeout");
  if (timeout != null) config.timeoutMs = readTimeout(timeout);
  config.cacheMs = 300_000;
  return rule.ok ? config : null;
}

// http_uri.uri: an absolute http(s) URI; its host:port becomes :authority and the rest :path.
function readUri(reader: JsonReader, config: RemoteJwksConfig): void {
  const uri = reader.string();
  if (!reader.ok) return;
  const scheme = uri.startsWith("http://") ? 7 : uri.startsWith("https://") ? 8 : 0;
  let end = uri.length;
  const fragment = uri.indexOf("#");
  if (fragment >= 0) end = fragment;
  let hostEnd = end;
  for (let i = scheme; i < end; i++) {
    const c = uri.charCodeAt(i);
    if (c == 0x2f || c == 0x3f) {
      hostEnd = i;
      break;
    }
  }
  const authority = uri.substring(scheme, hostEnd);
  if (scheme == 0 || authority.length == 0 || !printable(uri) || authority.includes("@")) {
    reader.fail('must be an absolute http or https URI such as "https://issuer.example/jwks"');
    return;
  }
  config.uri = uri;
  config.authority = authority;
  const rest = uri.substring(hostEnd, end);
  config.path = rest.length == 0 ? "/" : rest.startsWith("/") ? rest : "/" + rest;
}

// Visible ASCII only: a URI with spaces or control characters cannot be a request line.
function printable(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

function readCluster(reader: JsonReader): string {
  const cluster = reader.string();
  if (reader.ok && cluster.length == 0) reader.fail("must not be empty");
  return cluster;
}

// Envoy allows a zero timeout (no limit); here the timeout also bounds how long requests wait
// for keys, so it must be positive.
function readTimeout(reader: JsonReader): u32 {
  const seconds = reader.durationSeconds();
  if (!reader.ok) return 0;
  const ms = Math.round(seconds * 1000);
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    reader.fail("must be from 0.001s to 2147483.647s");
    return 0;
  }
  return <u32>ms;
}

function readPositiveMs(reader: JsonReader): i64 {
  const seconds = reader.durationSeconds();
  if (!reader.ok) return 0;
  const ms = Math.round(seconds * 1000);
  if (!(ms >= 1 && ms <= 9.0e15)) {
    reader.fail("must be at least 0.001s");
    return 0;
  }
  return <i64>ms;
}

// Envoy's RetryPolicy as jwks_cache.cc uses it: num_retries (default 1) and retry_back_off
// {base_interval, max_interval (default ten times the base)}.
function readRetryPolicy(reader: JsonReader, config: RemoteJwksConfig): void {
  if (!reader.expectObject() || !reader.allowOnly(["num_retries", "retry_back_off"])) return;
  config.numRetries = 1;
  const count = reader.optional("num_retries");
  if (count != null) {
    const n = count.number();
    if (count.ok && !(n >= 0 && n <= 10 && Math.floor(n) == n)) count.fail("must be a whole number from 0 to 10");
    if (count.ok) config.numRetries = <i32>n;
  }
  const backOff = reader.optional("retry_back_off");
  if (backOff == null || !backOff.expectObject() || !backOff.allowOnly(["base_interval", "max_interval"])) return;
  config.backoffBaseMs = readPositiveMs(backOff.require("base_interval"));
  config.backoffMaxMs = config.backoffBaseMs * 10;
  const max = backOff.optional("max_interval");
  if (max != null) {
    const maxMs = readPositiveMs(max);
    if (max.ok && maxMs < config.backoffBaseMs) max.fail("must not be shorter than base_interval");
    config.backoffMaxMs = maxMs;
  }
}

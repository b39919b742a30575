// One provider's remote keys inside one plugin instance: picks fetched keys up from the shared
// record, and when a fetch is due takes the record's lease and fetches with proxy_http_call.
// Envoy's jwks_cache.cc and jwks_async_fetcher.cc decide when: the keys live cache_duration, a
// failed fetch is retried per retry_policy and again after failed_refetch_duration. Keys past
// their cache_duration stay in use until new ones land, as with Envoy's async_fetch. A token whose
// kid no key has triggers one refetch, at most once per UNKNOWN_KID_COOLDOWN_MS across instances.

import {
  currentTimeNanoseconds,
  HttpCallHandler,
  HttpCallRequest,
  HttpCallResponse,
  currentContextId,
  httpCall,
  logDebug,
  logWarn,
  setEffectiveContext,
} from "../../assembly";
import { JwksRecord, RecordUpdate, readRecord, takeInstanceId, updateRecord } from "./jwks-shared";
import { loadKeys } from "./keys";
import { JwtMetrics } from "./metrics";
import { Provider } from "./provider";
import { RemoteJwksConfig } from "./remote-config";

/** The shortest time between two refetches for tokens with an unknown kid, so a client cannot make every request fetch. */
export const UNKNOWN_KID_COOLDOWN_MS: i64 = 60_000;
// A lease outlives its fetch's timeout by this much, so a fetcher that vanished (its instance
// stopped) holds the others back only briefly.
const LEASE_SLACK_MS: i64 = 1_000;
// Requests read the shared record themselves at most this often while keys are present; ticks
// pick up new keys in between.
const REQUEST_SYNC_INTERVAL_MS: i64 = 1_000;
// A JWKS larger than this is refused as a failed fetch (real ones are a few KiB).
const MAX_JWKS_BYTES = 512 * 1024;

/** Told when a fetch settled in this instance (keys landed or the fetch failed for good). */
export class SettleListener {
  /** Called after the outcome is visible through `RemoteJwks.version`. */
  settled(): void {}
}

/** A provider's remote keys as one instance keeps them. */
export class RemoteJwks {
  /** The shared record's version last seen here; it grows whenever a fetch settles anywhere. */
  version: i64 = -1;
  private record: JwksRecord = new JwksRecord();
  private loadedJwks: string = "";
  private nextRequestSyncMs: i64 = 0;
  private fetching: bool = false;
  private retries: i32 = 0;
  private retryAtMs: i64 = 0;

  constructor(
    /** The provider whose `keys` this replaces. */
    public provider: Provider,
    /** Where and how often to fetch. */
    public config: RemoteJwksConfig,
    private instance: InstanceIdentity,
    private metrics: JwtMetrics,
    private listener: SettleListener,
  ) {}

  /** Whether the provider has keys (fetched here or by another instance). */
  get ready(): bool {
    return this.provider.keys.keys.length > 0;
  }

  /** Whether a fetch is running, here or (under a live lease) in another instance. */
  inProgress(nowMs: i64): bool {
    return this.fetching || this.record.leasedToOther(this.instance.id, nowMs);
  }

  /** Reads the shared record when a request needs it (no keys yet, or not read for a while), then acts as `sync`. */
  syncForRequest(nowMs: i64, rootId: u32): void {
    if (this.ready && nowMs < this.nextRequestSyncMs) return;
    this.sync(nowMs, rootId);
  }

  /** Picks up keys another instance stored, sends a due retry, and starts a fetch when one is due. */
  sync(nowMs: i64, rootId: u32): void {
    this.nextRequestSyncMs = nowMs + REQUEST_SYNC_INTERVAL_MS;
    this.adopt(readRecord(this.config.sharedKey()).record);
    if (this.fetching) {
      if (this.retryAtMs > 0 && nowMs >= this.retryAtMs) {
        this.retryAtMs = 0;
        this.send(nowMs, rootId);
      }
      return;
    }
    if (fetchDue(this.record, this.config, this.instance.id, nowMs)) this.start(nowMs, rootId, false);
  }

  /** Starts a refetch for a token whose kid no key has, unless one ran within the cooldown; true when a fetch is now running. */
  refetchForUnknownKid(nowMs: i64, rootId: u32): bool {
    if (this.inProgress(nowMs)) return true;
    this.start(nowMs, rootId, true);
    return this.fetching;
  }

  private start(nowMs: i64, rootId: u32, forUnknownKid: bool): void {
    const lease = new TakeLease(this, nowMs, forUnknownKid);
    const written = updateRecord(this.config.sharedKey(), lease);
    if (written == null) {
      this.adopt(readRecord(this.config.sharedKey()).record);
      return;
    }
    this.record = written;
    this.fetching = true;
    this.retries = 0;
    this.send(nowMs, rootId);
  }

  // The call is made as the root even from a stream's callback, so its answer reaches the root
  // (and settles the fetch) even if that stream is gone by then.
  private send(nowMs: i64, rootId: u32): void {
    const caller = currentContextId();
    if (caller != rootId) setEffectiveContext(rootId);
    const request = new HttpCallRequest("GET", this.config.authority, this.config.path).header(
      "accept",
      "application/json",
    );
    const issued = httpCall(this.config.cluster, request, this.config.timeoutMs, new FetchHandler(this));
    if (caller != rootId) setEffectiveContext(caller);
    if (!issued.ok) this.fail(nowMs, "the callout was refused (is cluster " + this.config.cluster + " defined?)");
  }

  /** Handles the answer to this instance's fetch. */
  onResponse(response: HttpCallResponse, nowMs: i64): void {
    if (response.failed) {
      this.retryOrFail(nowMs, "the request failed (" + response.failureMessage + ")");
      return;
    }
    if (response.statusCode != 200) {
      const reason = "status " + response.statusCode.toString();
      // Envoy's JWKS retry policy retries 5xx answers and connection failures, not 4xx.
      if (response.statusCode >= 500) this.retryOrFail(nowMs, reason);
      else this.fail(nowMs, reason);
      return;
    }
    if (response.body.byteLength > MAX_JWKS_BYTES) {
      this.fail(nowMs, "the JWKS is larger than " + MAX_JWKS_BYTES.toString() + " bytes");
      return;
    }
    const text = String.UTF8.decode(response.body);
    const loaded = loadKeys(text);
    if (loaded.keys == null) {
      this.fail(nowMs, "the JWKS was refused: " + loaded.error);
      return;
    }
    this.fetching = false;
    this.provider.keys = loaded.keys!;
    this.loadedJwks = text;
    const written = updateRecord(this.config.sharedKey(), new StoreKeys(this.instance.id, nowMs, text));
    this.version = written != null ? written.version : this.version + 1;
    if (written != null) this.record = written;
    this.metrics.jwksFetchSuccess.increment();
    logDebug("jwt-authn: fetched the JWKS of provider " + this.provider.name + " from " + this.config.uri);
    this.listener.settled();
  }

  private retryOrFail(nowMs: i64, reason: string): void {
    if (this.retries >= this.config.numRetries) {
      this.fail(nowMs, reason);
      return;
    }
    this.retries++;
    this.retryAtMs = nowMs + this.config.backoffMs(this.retries);
    const until = this.retryAtMs + <i64>this.config.timeoutMs + LEASE_SLACK_MS;
    const written = updateRecord(this.config.sharedKey(), new ExtendLease(this.instance.id, until));
    if (written != null) this.record = written;
  }

  private fail(nowMs: i64, reason: string): void {
    this.fetching = false;
    this.retryAtMs = 0;
    const written = updateRecord(this.config.sharedKey(), new StoreFailure(this.instance.id, nowMs));
    this.version = written != null ? written.version : this.version + 1;
    if (written != null) this.record = written;
    this.metrics.jwksFetchFailed.increment();
    logWarn(
      "jwt-authn: fetching the JWKS of provider " +
        this.provider.name +
        " from " +
        this.config.uri +
        " failed: " +
        reason,
    );
    this.listener.settled();
  }

  // Takes the record's state; loads its keys when they are not the ones in use.
  private adopt(record: JwksRecord): void {
    this.record = record;
    if (record.version == this.version) return;
    this.version = record.version;
    if (record.jwks.length == 0 || record.jwks == this.loadedJwks) return;
    // The fetcher stored only a JWKS that loaded, so this succeeds; a record from an older build
    // that no longer loads is ignored and fetched again when due.
    const loaded = loadKeys(record.jwks);
    if (loaded.keys == null) return;
    this.provider.keys = loaded.keys!;
    this.loadedJwks = record.jwks;
  }

  /** The id of this instance, as leases name it. */
  get owner(): i64 {
    return this.instance.id;
  }
}

/** A process-unique id for one plugin instance, taken when it first fetches. */
export class InstanceIdentity {
  private assigned: i64 = 0;

  /** The id; the first read takes the next number from a shared counter. */
  get id(): i64 {
    if (this.assigned == 0) this.assigned = takeInstanceId(currentTimeNanoseconds());
    return this.assigned;
  }
}

/** The host clock in milliseconds (the harness's fake clock in tests). */
export function nowMillis(): i64 {
  return <i64>(currentTimeNanoseconds() / 1_000_000);
}

// Whether `owner` should fetch now: nobody else holds a live lease, and either there are no keys
// and the last failure is failed_refetch_duration old, or the keys outlived cache_duration.
function fetchDue(record: JwksRecord, config: RemoteJwksConfig, owner: i64, nowMs: i64): bool {
  if (record.leasedToOther(owner, nowMs)) return false;
  if (record.failedAtMs > 0 && nowMs < record.failedAtMs + config.failedRefetchMs) return false;
  return record.jwks.length == 0 || nowMs >= record.fetchedAtMs + config.cacheMs;
}

class FetchHandler extends HttpCallHandler {
  constructor(private remote: RemoteJwks) {
    super();
  }

  onResponse(response: HttpCallResponse): void {
    this.remote.onResponse(response, nowMillis());
  }
}

class TakeLease extends RecordUpdate {
  constructor(
    private remote: RemoteJwks,
    private nowMs: i64,
    private forUnknownKid: bool,
  ) {
    super();
  }

  apply(record: JwksRecord): bool {
    const owner = this.remote.owner;
    const config = this.remote.config;
    if (this.forUnknownKid) {
      if (record.leasedToOther(owner, this.nowMs)) return false;
      const last = record.forcedAtMs > record.fetchedAtMs ? record.forcedAtMs : record.fetchedAtMs;
      if (this.nowMs < last + UNKNOWN_KID_COOLDOWN_MS) return false;
      record.forcedAtMs = this.nowMs;
    } else if (!fetchDue(record, config, owner, this.nowMs)) {
      return false;
    }
    record.leaseOwner = owner;
    record.leaseUntilMs = this.nowMs + <i64>config.timeoutMs + LEASE_SLACK_MS;
    return true;
  }
}

class ExtendLease extends RecordUpdate {
  constructor(
    private owner: i64,
    private untilMs: i64,
  ) {
    super();
  }

  apply(record: JwksRecord): bool {
    if (record.leaseOwner != this.owner) return false;
    record.leaseUntilMs = this.untilMs;
    return true;
  }
}

class StoreKeys extends RecordUpdate {
  constructor(
    private owner: i64,
    private nowMs: i64,
    private jwks: string,
  ) {
    super();
  }

  apply(record: JwksRecord): bool {
    record.version++;
    record.fetchedAtMs = this.nowMs;
    record.failedAtMs = 0;
    record.jwks = this.jwks;
    if (record.leaseOwner == this.owner) record.releaseLease();
    return true;
  }
}

class StoreFailure extends RecordUpdate {
  constructor(
    private owner: i64,
    private nowMs: i64,
  ) {
    super();
  }

  apply(record: JwksRecord): bool {
    record.version++;
    record.failedAtMs = this.nowMs;
    if (record.leaseOwner == this.owner) record.releaseLease();
    return true;
  }
}

// The fetched keys as every instance of the plugin sees them: one shared-data record per JWKS
// (cluster and URI) holding the JWKS text, when it was fetched, the last failure, and the lease
// of the instance fetching now. Envoy fetches once per provider per worker (its JwksCache is
// thread-local); here one instance fetches and the others read the record, so a JWKS server sees
// one request per refresh however many workers run. Writes use compare-and-set and are retried on
// a conflicting write.

import { SharedDataValue, Status, compareAndSetSharedData, createSharedData, getSharedData } from "../../assembly";

// A few attempts are plenty: a conflict only happens when two instances write within the same
// moment, and the loser re-reads and decides again.
const MAX_WRITE_ATTEMPTS = 8;

/** One JWKS's shared record. */
export class JwksRecord {
  /** Bumped on every settled fetch (success or failure), so an instance can tell something landed. */
  version: i64 = 0;
  /** When the keys were fetched (ms since the epoch); 0 before the first success. */
  fetchedAtMs: i64 = 0;
  /** When the last fetch finally failed (after its retries); 0 when none has. */
  failedAtMs: i64 = 0;
  /** The instance holding the fetch lease, 0 for none. */
  leaseOwner: i64 = 0;
  /** When the lease lapses; another instance may fetch after it. */
  leaseUntilMs: i64 = 0;
  /** When the last refetch for an unknown kid started; bounds such refetches. */
  forcedAtMs: i64 = 0;
  /** The JWKS text of the last successful fetch, "" before it. */
  jwks: string = "";

  /** Whether an instance other than `owner` holds a lease that has not lapsed at `nowMs`. */
  leasedToOther(owner: i64, nowMs: i64): bool {
    return this.leaseOwner != 0 && this.leaseOwner != owner && nowMs < this.leaseUntilMs;
  }

  /** Clears the lease. */
  releaseLease(): void {
    this.leaseOwner = 0;
    this.leaseUntilMs = 0;
  }

  /** The record as stored: six decimal header lines, then the JWKS. */
  encode(): ArrayBuffer {
    const fields = [
      this.version,
      this.fetchedAtMs,
      this.failedAtMs,
      this.leaseOwner,
      this.leaseUntilMs,
      this.forcedAtMs,
    ];
    let text = "";
    for (let i = 0; i < fields.length; i++) text += fields[i].toString() + "\n";
    return String.UTF8.encode(text + this.jwks);
  }

  /** Reads a stored record; a value this filter did not write reads as an empty record. */
  static decode(text: string): JwksRecord {
    const record = new JwksRecord();
    const numbers = new Array<i64>();
    let start = 0;
    while (numbers.length < 6) {
      const end = text.indexOf("\n", start);
      if (end < 0) return new JwksRecord();
      const value = parseMillis(text.substring(start, end));
      if (value < 0) return new JwksRecord();
      numbers.push(value);
      start = end + 1;
    }
    record.version = numbers[0];
    record.fetchedAtMs = numbers[1];
    record.failedAtMs = numbers[2];
    record.leaseOwner = numbers[3];
    record.leaseUntilMs = numbers[4];
    record.forcedAtMs = numbers[5];
    record.jwks = text.substring(start);
    return record;
  }
}

/** A record as read, with the cas its update must carry (0 when the key does not exist yet). */
export class ReadRecord {
  constructor(
    /** The record (empty when none was stored). */
    public record: JwksRecord,
    /** The cas for writeShared. */
    public cas: u32,
  ) {}
}

/** Reads the record under `key`. */
export function readRecord(key: string): ReadRecord {
  const stored: SharedDataValue | null = getSharedData(key);
  if (stored == null) return new ReadRecord(new JwksRecord(), 0);
  return new ReadRecord(JwksRecord.decode(stored.text()), stored.cas);
}

/** Changes a record; return false to leave it as it is. */
export class RecordUpdate {
  /** Applies the change to `record` (read just now); false when no write is wanted any more. */
  apply(record: JwksRecord): bool {
    return false;
  }
}

/**
 * Reads, changes and writes back the record under `key` until no other instance wrote in between;
 * returns the record written, or null when `update` declined or the writes kept conflicting.
 */
export function updateRecord(key: string, update: RecordUpdate): JwksRecord | null {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const read = readRecord(key);
    if (!update.apply(read.record)) return null;
    const status = writeShared(key, read.record.encode(), read.cas);
    if (status == Status.Ok) return read.record;
    if (status != Status.CasMismatch) return null;
  }
  return null;
}

const INSTANCE_COUNTER_KEY = "envoy_as.jwt_authn.instances";

/**
 * Writes `bytes` under `key` if no other instance wrote it since it was read with `cas`: a key read
 * as missing (cas 0) is only created, since Envoy would take cas 0 as "write whatever is there".
 */
function writeShared(key: string, bytes: ArrayBuffer, cas: u32): Status {
  return cas == 0 ? createSharedData(key, bytes) : compareAndSetSharedData(key, bytes, cas);
}

/**
 * Returns a process-unique id for the calling instance: twice the next value of a shared counter,
 * or, should the counter keep conflicting, an odd number from the clock.
 */
export function takeInstanceId(nowNanos: u64): i64 {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const stored = getSharedData(INSTANCE_COUNTER_KEY);
    const count = stored == null ? 0 : parseMillis(stored.text());
    const next = (count < 0 ? 0 : count) + 1;
    const status = writeShared(
      INSTANCE_COUNTER_KEY,
      String.UTF8.encode(next.toString()),
      stored == null ? 0 : stored.cas,
    );
    if (status == Status.Ok) return next << 1;
  }
  return ((<i64>(nowNanos & 0xfffffffff)) << 1) | 1;
}

// A non-negative decimal below 2^53, or -1.
function parseMillis(text: string): i64 {
  if (text.length == 0 || text.length > 16) return -1;
  let value: i64 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + <i64>(c - 0x30);
  }
  return value;
}

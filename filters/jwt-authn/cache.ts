// The verification cache (Envoy's jwt_cache_config): tokens whose signature verified, keyed by the
// token text as Envoy keys its cache (an entry holds the signed input and the signature anyway),
// least recently used evicted first. A hit skips parsing and the signature; the caller still
// checks time, audience and subject on every use, as Envoy's authenticator does, and drops an
// entry once its exp has passed.

import { Jwt } from "./jwt";

class Entry {
  prev: Entry | null = null;
  next: Entry | null = null;
  constructor(
    public key: string,
    public jwt: Jwt,
  ) {}
}

/** A bounded LRU of verified tokens for one provider. */
export class TokenCache {
  private entries: Map<string, Entry> = new Map<string, Entry>();
  // Most recently used first.
  private head: Entry | null = null;
  private tail: Entry | null = null;

  constructor(
    /** The most entries kept; 0 disables the cache. */
    public readonly capacity: i32,
  ) {}

  /** The number of entries held. */
  get size(): i32 {
    return this.entries.size;
  }

  /** Returns the verified token stored under `key` and marks it recently used, or null. */
  get(key: string): Jwt | null {
    // A client repeats its token: the most recent entry is compared first, without hashing the key.
    const head = this.head;
    if (head != null && head.key == key) return head.jwt;
    if (!this.entries.has(key)) return null;
    const entry = this.entries.get(key);
    this.unlink(entry);
    this.linkFirst(entry);
    return entry.jwt;
  }

  /** Stores a verified token, evicting the least recently used entry when full. */
  put(key: string, jwt: Jwt): void {
    if (this.capacity == 0) return;
    if (this.entries.has(key)) this.remove(key);
    if (this.entries.size >= this.capacity) this.remove(this.tail!.key);
    const entry = new Entry(key, jwt);
    this.entries.set(key, entry);
    this.linkFirst(entry);
  }

  /** Forgets the entry under `key`, if any. */
  remove(key: string): void {
    if (!this.entries.has(key)) return;
    this.unlink(this.entries.get(key));
    this.entries.delete(key);
  }

  private linkFirst(entry: Entry): void {
    entry.prev = null;
    entry.next = this.head;
    if (this.head != null) this.head!.prev = entry;
    this.head = entry;
    if (this.tail == null) this.tail = entry;
  }

  private unlink(entry: Entry): void {
    if (entry.prev != null) entry.prev!.next = entry.next;
    else this.head = entry.next;
    if (entry.next != null) entry.next!.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = null;
    entry.next = null;
  }
}

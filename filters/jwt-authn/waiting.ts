// Requests paused until remote keys land. Envoy's jwt_authn holds a request whose token needs a
// JWKS that is still being fetched (filter.cc returns StopIteration, then continueDecoding), and
// answers 401 "Jwks remote fetch is failed" when the fetch fails. Here a paused request remembers
// the version of each shared record it waits for; once every one has moved on (keys or a failure
// settled, in this instance or, seen on a tick, in another), it is verified again without waiting.

import { Authenticator, Engine } from "./authenticator";
import { RemoteJwks } from "./remote-jwks";

/** A request that can be verified again later. */
export class Resumable {
  /** Verifies the request again (no more waiting) and continues or denies it. */
  resume(): void {}
}

class Waiter {
  constructor(
    public contextId: u32,
    public request: Resumable,
    public remotes: Array<RemoteJwks>,
    public versions: Array<i64>,
  ) {}

  settled(): bool {
    for (let i = 0; i < this.remotes.length; i++) {
      if (this.remotes[i].version <= this.versions[i]) return false;
    }
    return true;
  }
}

/** The paused requests of one root. */
export class WaitingRequests {
  private waiters: Array<Waiter> = [];

  /**
   * Decides whether the request whose verification `authenticator` just failed waits: for keys
   * being fetched, or for a refetch its unknown kid may start. True when it was added.
   */
  pause(
    contextId: u32,
    request: Resumable,
    authenticator: Authenticator,
    engine: Engine,
    nowMs: i64,
    rootId: u32,
  ): bool {
    const remotes = new Array<RemoteJwks>();
    for (let i = 0; i < authenticator.awaitingKeys.length; i++) {
      const remote = engine.remotes[authenticator.awaitingKeys[i].index]!;
      if (remote.inProgress(nowMs)) remotes.push(remote);
    }
    for (let i = 0; i < authenticator.unknownKid.length; i++) {
      const remote = engine.remotes[authenticator.unknownKid[i].index]!;
      if (!remotes.includes(remote) && remote.refetchForUnknownKid(nowMs, rootId)) remotes.push(remote);
    }
    if (remotes.length == 0) return false;
    const versions = new Array<i64>();
    for (let i = 0; i < remotes.length; i++) versions.push(remotes[i].version);
    this.waiters.push(new Waiter(contextId, request, remotes, versions));
    return true;
  }

  /** Resumes every request whose fetches all settled. */
  resumeSettled(): void {
    const ready = new Array<Waiter>();
    const rest = new Array<Waiter>();
    for (let i = 0; i < this.waiters.length; i++) {
      const waiter = this.waiters[i];
      if (waiter.settled()) ready.push(waiter);
      else rest.push(waiter);
    }
    this.waiters = rest;
    for (let i = 0; i < ready.length; i++) ready[i].request.resume();
  }

  /** Forgets a request whose stream ended while it waited. */
  forget(contextId: u32): void {
    if (!this.has(contextId)) return;
    const rest = new Array<Waiter>();
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i].contextId != contextId) rest.push(this.waiters[i]);
    }
    this.waiters = rest;
  }

  /** Whether the request of stream `contextId` is paused. */
  has(contextId: u32): bool {
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i].contextId == contextId) return true;
    }
    return false;
  }
}

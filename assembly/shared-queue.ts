// Shared queues (reference abi.md 3.6): a process-wide FIFO per (vm_id, name). The root that
// registered a queue last is told about new items through RootContext.onQueueReady(token).

import * as host from "./abi/state-hostcalls";
import { Status } from "./types";

/** A shared queue, addressed by the token the host gave it. */
export class SharedQueue {
  constructor(
    /** The host's token; onQueueReady receives it. */
    public readonly token: u32,
  ) {}

  /** Creates or reopens queue `name` of this vm_id and makes the caller's root the one notified (the last registrant wins). */
  static register(name: string): SharedQueue {
    return new SharedQueue(host.registerSharedQueue(name));
  }

  /** Finds queue `name` of `vmId` ("" = this VM's); null when nobody registered it. */
  static resolve(vmId: string, name: string): SharedQueue | null {
    const token = host.resolveSharedQueue(vmId, name);
    return token == 0 ? null : new SharedQueue(token);
  }

  /** Appends `data`; the registrant's root gets onQueueReady after the current callback. NotFound for a stale token. */
  enqueue(data: ArrayBuffer): Status {
    return host.enqueueSharedQueue(this.token, data);
  }

  /** Appends the UTF-8 bytes of `text`. */
  enqueueText(text: string): Status {
    return host.enqueueSharedQueue(this.token, String.UTF8.encode(text));
  }

  /** Pops the oldest item, or null when the queue is empty. */
  dequeue(): ArrayBuffer | null {
    return host.dequeueSharedQueue(this.token);
  }
}

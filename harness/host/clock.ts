// The host's wall clock, under the test's control (reference abi.md 3.1): it answers
// proxy_get_current_time_nanoseconds and fires ticks and callout timeouts when a test advances it.

/** A pending timer; cancel it to stop it from firing. */
export interface Timer {
  /** When the timer fires, in nanoseconds since the Unix epoch. */
  readonly at: bigint;
  cancel(): void;
}

interface Entry extends Timer {
  readonly fire: () => void;
  readonly order: number;
  cancelled: boolean;
}

const NS_PER_MS = 1_000_000n;

/** A clock that only moves when `advance` is called; timers fire in time order as it passes them. */
export class FakeClock {
  private now: bigint;
  private timers: Entry[] = [];
  private sequence = 0;

  /** Starts at `start` (nanoseconds since the Unix epoch; default 2024-01-01T00:00:00Z). */
  constructor(start: bigint = 1_704_067_200_000_000_000n) {
    this.now = start;
  }

  /** The current time in nanoseconds since the Unix epoch. */
  get nanoseconds(): bigint {
    return this.now;
  }

  /** The current time in whole milliseconds since the Unix epoch. */
  get milliseconds(): number {
    return Number(this.now / NS_PER_MS);
  }

  /** Runs `fire` once the clock reaches `delayMs` milliseconds from now. */
  schedule(delayMs: number, fire: () => void): Timer {
    const entry: Entry = {
      at: this.now + BigInt(delayMs) * NS_PER_MS,
      fire,
      order: this.sequence++,
      cancelled: false,
      cancel() {
        entry.cancelled = true;
      },
    };
    this.timers.push(entry);
    return entry;
  }

  /**
   * Moves the clock forward by `ms` milliseconds, stopping at each timer on the way (so a tick
   * reads the time it was due at) and firing timers due at the same instant in scheduling order.
   */
  advance(ms: number): void {
    if (ms < 0) throw new Error("the clock cannot go backwards");
    const target = this.now + BigInt(ms) * NS_PER_MS;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => (a.at === b.at ? a.order - b.order : a.at < b.at ? -1 : 1))[0];
      if (!due) break;
      this.now = due.at;
      due.cancelled = true;
      due.fire();
    }
    this.now = target;
  }
}

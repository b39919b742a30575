// A small, fast pseudo-random sequence for sampling decisions (xorshift64*), seeded from the host's
// random bytes once; not for anything secret.

/** Numbers in [0, 1), one per call. */
export class Random {
  private state: u64;

  constructor(seed: u64) {
    this.state = seed == 0 ? 0x9e3779b97f4a7c15 : seed;
  }

  /** The next number in [0, 1). */
  next(): f64 {
    let x = this.state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    this.state = x;
    return <f64>((x * 0x2545f4914f6cdd1d) >> 11) / 9007199254740992.0;
  }
}

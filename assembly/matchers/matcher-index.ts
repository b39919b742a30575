// Many rules of a configuration test the same value (the path) with case-sensitive exact or prefix
// matchers. Trying each matcher costs a comparison per rule on every request; the index answers all
// of them at once with a binary search over the sorted matcher values. The values that are prefixes
// of the input are those on one chain: the largest value not above the input, cut to its common
// prefix with the input, then each value's longest proper prefix among the values.

import { StringMatchKind, StringMatcher } from "./string-matcher";

// A matcher value seen while building, with the matcher it belongs to.
class IndexedValue {
  constructor(
    public value: string,
    public matcher: i32,
    public exact: bool,
  ) {}
}

/** Decides case-sensitive exact and prefix StringMatchers of a list for one input in a single search. */
export class StringMatcherIndex {
  private covered: StaticArray<bool>;
  private hits: StaticArray<u32>;
  // The distinct values, sorted; each one's longest proper prefix among them (-1 for none); and
  // the matchers holding each value (matcher * 2 + 1 for exact) in members[firstMember[k]..].
  private values: Array<string> = [];
  private parents: Array<i32> = [];
  private firstMember: Array<i32> = [];
  private members: Array<i32> = [];

  /** Indexes `matchers` (null entries, ignore-case, suffix, contains and regex matchers are left to the caller). */
  constructor(matchers: Array<StringMatcher | null>) {
    this.covered = new StaticArray<bool>(matchers.length);
    this.hits = new StaticArray<u32>((matchers.length + 31) >>> 5);
    const entries = new Array<IndexedValue>();
    for (let i = 0; i < matchers.length; i++) {
      const matcher = matchers[i];
      if (matcher == null || matcher.ignoreCase || matcher.compiledRegex != null) continue;
      if (matcher.kind != StringMatchKind.Exact && matcher.kind != StringMatchKind.Prefix) continue;
      this.covered[i] = true;
      entries.push(new IndexedValue(matcher.value, i, matcher.kind == StringMatchKind.Exact));
    }
    entries.sort((a: IndexedValue, b: IndexedValue): i32 => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const chain = new Array<i32>();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const last = this.values.length - 1;
      if (last < 0 || this.values[last] != entry.value) {
        while (chain.length > 0 && !entry.value.startsWith(this.values[chain[chain.length - 1]])) chain.pop();
        this.parents.push(chain.length > 0 ? chain[chain.length - 1] : -1);
        chain.push(this.values.length);
        this.values.push(entry.value);
        this.firstMember.push(this.members.length);
      }
      this.members.push((entry.matcher << 1) | (entry.exact ? 1 : 0));
    }
    this.firstMember.push(this.members.length);
  }

  /** Whether matcher `i` is decided by `scan` (the caller tries the others itself). */
  covers(i: i32): bool {
    return this.covered[i];
  }

  /** Finds which covered matchers match `input` (none when it is null); read them with `matched`. */
  scan(input: string | null): void {
    const hits = this.hits;
    for (let w = 0; w < hits.length; w++) hits[w] = 0;
    if (input == null) return;
    const values = this.values;
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (values[middle] > input) high = middle;
      else low = middle + 1;
    }
    let k = low - 1;
    if (k < 0) return;
    const common = commonPrefixLength(values[k], input);
    while (k >= 0 && values[k].length > common) k = this.parents[k];
    for (; k >= 0; k = this.parents[k]) {
      const whole = values[k].length == input.length;
      for (let m = this.firstMember[k]; m < this.firstMember[k + 1]; m++) {
        const member = this.members[m];
        if ((member & 1) == 0 || whole) hits[member >>> 6] |= 1 << ((member >>> 1) & 31);
      }
    }
  }

  /** Whether covered matcher `i` matched the input of the last `scan`. */
  matched(i: i32): bool {
    return (this.hits[i >>> 5] & (1 << (i & 31))) != 0;
  }
}

function commonPrefixLength(a: string, b: string): i32 {
  const length = min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) == b.charCodeAt(i)) i++;
  return i;
}

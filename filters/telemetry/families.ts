// A metric with labels, as Envoy needs it from a Wasm filter: one stat per distinct label set,
// named `label=.=value;.;...;.;<name>` (Istio's encoding, which `stats_tags` turn back into labels).
// A hard cap bounds the label sets per metric; past it, requests count in one overflow series
// whose every label is `overflow`, and the dropped label sets are counted.

import { Counter, Gauge, Histogram, Label, MetricType, incrementMetric, recordMetric } from "../../assembly";

/** The label value every label of the overflow series has. */
export const OVERFLOW = "overflow";

/** One labelled metric with a cap on its label sets. */
export class MetricFamily {
  private readonly ids: Map<string, u32> = new Map<string, u32>();
  // The defined label set reported last, and its id (null until one is): traffic repeats label
  // sets, and comparing a key costs less than hashing it twice.
  private lastKey: string | null = null;
  private lastId: u32 = 0;
  private overflowId: u32 = 0;
  private overflowDefined: bool = false;

  constructor(
    /** The metric's name as Prometheus shows it. */
    public readonly name: string,
    /** Counter, gauge or histogram. */
    public readonly type: MetricType,
    /** The label names, in order. */
    public readonly labelNames: Array<string>,
    /** The most distinct label sets defined; more go to the overflow series. */
    public readonly cap: i32,
    /** Counts label sets refused by the cap. */
    private readonly dropped: Counter,
  ) {}

  /** The number of label sets defined so far (the overflow series not included). */
  get size(): i32 {
    return this.ids.size;
  }

  /** Adds `amount` to the counter, sets the gauge, or records the histogram sample, for `values` (whose `labelKey` is `key`). */
  report(key: string, values: Array<string>, amount: u64): void {
    const id = this.idFor(key, values);
    if (this.type == MetricType.Counter) incrementMetric(id, <i64>amount);
    else recordMetric(id, amount);
  }

  private idFor(key: string, values: Array<string>): u32 {
    const last = this.lastKey;
    if (last != null && last == key) return this.lastId;
    if (this.ids.has(key)) return this.remember(key, this.ids.get(key));
    if (this.ids.size >= this.cap) {
      this.dropped.increment();
      if (!this.overflowDefined) {
        const overflow = new Array<string>();
        for (let i = 0; i < values.length; i++) overflow.push(OVERFLOW);
        this.overflowId = this.define(overflow);
        this.overflowDefined = true;
      }
      return this.overflowId;
    }
    const id = this.define(values);
    this.ids.set(key, id);
    return this.remember(key, id);
  }

  private remember(key: string, id: u32): u32 {
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  private define(values: Array<string>): u32 {
    const labels = new Array<Label>();
    for (let i = 0; i < values.length; i++) labels.push(new Label(this.labelNames[i], values[i]));
    if (this.type == MetricType.Counter) return Counter.define(this.name, labels).id;
    if (this.type == MetricType.Gauge) return Gauge.define(this.name, labels).id;
    return Histogram.define(this.name, labels).id;
  }
}

/** The key of a label set: its values joined with NUL, which no header or attribute value carries. */
export function labelKey(values: Array<string>): string {
  return values.join("\u0000");
}

/**
 * The label set each metric group computed last, with its key, and a spare list to compute the
 * next one into: traffic repeats label sets, so a repeated set costs neither a list nor a join
 * (and the families then find its key equal by reference).
 */
export class LastLabelSets {
  private labels: Array<Array<string> | null> = [];
  private spares: Array<Array<string> | null> = [];
  private keys: Array<string> = [];

  constructor(groups: i32) {
    for (let i = 0; i < groups; i++) {
      this.labels.push(null);
      this.spares.push(null);
      this.keys.push("");
    }
  }

  /** A list of `size` entries for group `group` to compute its label set into, then pass to `key`. */
  spare(group: i32, size: i32): Array<string> {
    let spare = this.spares[group];
    if (spare == null) {
      spare = new Array<string>(size);
      this.spares[group] = spare;
    }
    return spare;
  }

  /** The key of `labels`, the label set group `group` computed now into its spare list. */
  key(group: i32, labels: Array<string>): string {
    const last = this.labels[group];
    if (last != null && sameValues(last, labels)) return this.keys[group];
    this.spares[group] = last;
    this.labels[group] = labels;
    const key = labelKey(labels);
    this.keys[group] = key;
    return key;
  }
}

function sameValues(a: Array<string>, b: Array<string>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

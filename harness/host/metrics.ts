// The stats store Wasm metrics land in (reference abi.md 3.7, 5.6): each metric is the Envoy stat
// `wasmcustom.<name>`, tags come only from configured `stats_tags` regexes, and the Prometheus
// text is what Envoy's /stats/prometheus prints for them.

import { MetricType } from "../abi/types.js";

/** One `stats_config.stats_tags` entry: the first capture group is cut from the name, the second (or the first) is the value. */
export interface StatsTag {
  tagName: string;
  regex: string;
}

/** How many of a histogram's most recent samples are kept one by one (all of them count in its totals). */
export const RECENT_SAMPLES = 1_000;

/**
 * A Wasm metric as Envoy stores it. A histogram keeps how often each value was recorded, so a
 * process that runs for long (the dev proxy) holds one entry per distinct value, not per sample.
 */
export class Stat {
  /** Counter or gauge value (u64, wrapping as Envoy's does). */
  value = 0n;
  /** How many times each histogram value was recorded. */
  readonly counts = new Map<bigint, number>();
  private recent: bigint[] = [];

  constructor(
    readonly type: MetricType,
    /** The full Envoy name, `wasmcustom.<name>`. */
    readonly fullName: string,
  ) {}

  /** The histogram's most recent samples (up to {@link RECENT_SAMPLES}), in order. */
  get samples(): readonly bigint[] {
    return this.recent.length > RECENT_SAMPLES ? this.recent.slice(-RECENT_SAMPLES) : this.recent;
  }

  /** Adds `sample` to the histogram. */
  record(sample: bigint): void {
    this.counts.set(sample, (this.counts.get(sample) ?? 0) + 1);
    // Trimmed in batches, so each sample is copied at most once.
    if (this.recent.length === 2 * RECENT_SAMPLES) this.recent = this.recent.slice(-RECENT_SAMPLES);
    this.recent.push(sample);
  }
}

/** One `stats_config.histogram_bucket_settings` entry: a StringMatcher on the full stat name and its buckets. */
export interface HistogramBuckets {
  match: { exact?: string; prefix?: string; suffix?: string; contains?: string; safe_regex?: { regex: string } };
  buckets: readonly number[];
}

/** A stat name after tag extraction. */
export interface TaggedName {
  name: string;
  tags: [name: string, value: string][];
}

const NAMESPACE = "wasmcustom.";
// Envoy's default histogram buckets.
const BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];
const TYPE_NAMES: Record<MetricType, string> = {
  [MetricType.Counter]: "counter",
  [MetricType.Gauge]: "gauge",
  [MetricType.Histogram]: "histogram",
};

/**
 * The Istio-style `stats_tags` entry that extracts label `name` from a metric name built by the
 * SDK's labelled metrics (`name=.=value;.;` fields before the metric name).
 */
export function labelTag(name: string): StatsTag {
  return { tagName: name, regex: `(${name}=\\.=(.*?);\\.;)` };
}

/** Every Wasm metric of the process, by type and full name. */
export class MetricsRegistry {
  private readonly stats = new Map<string, Stat>();
  private readonly extractors: { tagName: string; regex: RegExp }[];

  constructor(
    statsTags: readonly StatsTag[] = [],
    private readonly bucketSettings: readonly HistogramBuckets[] = [],
  ) {
    this.extractors = statsTags.map((t) => ({ tagName: t.tagName, regex: new RegExp(t.regex) }));
  }

  /** The buckets of histogram `fullName`: the first matching `histogram_bucket_settings` entry's, else Envoy's defaults. */
  bucketsFor(fullName: string): readonly number[] {
    for (const { match, buckets } of this.bucketSettings) {
      const regex = match.safe_regex ? new RegExp(`^(?:${match.safe_regex.regex})$`) : null;
      const matched =
        (match.exact !== undefined && fullName === match.exact) ||
        (match.prefix !== undefined && fullName.startsWith(match.prefix)) ||
        (match.suffix !== undefined && fullName.endsWith(match.suffix)) ||
        (match.contains !== undefined && fullName.includes(match.contains)) ||
        (regex !== null && regex.test(fullName));
      if (matched) return buckets;
    }
    return BUCKETS;
  }

  /** The stat behind `proxy_define_metric(type, name)`: created on first use, shared afterwards. */
  define(type: MetricType, name: string): Stat {
    const key = `${type}:${NAMESPACE}${name}`;
    let stat = this.stats.get(key);
    if (!stat) {
      stat = new Stat(type, NAMESPACE + name);
      this.stats.set(key, stat);
    }
    return stat;
  }

  /** Every stat defined so far, in definition order. */
  all(): Stat[] {
    return [...this.stats.values()];
  }

  /** The value of counter `name` (as the guest named it), or undefined when never defined. */
  counter(name: string): bigint | undefined {
    return this.stats.get(`${MetricType.Counter}:${NAMESPACE}${name}`)?.value;
  }

  /** The value of gauge `name`, or undefined when never defined. */
  gauge(name: string): bigint | undefined {
    return this.stats.get(`${MetricType.Gauge}:${NAMESPACE}${name}`)?.value;
  }

  /** The most recent samples (up to {@link RECENT_SAMPLES}) recorded in histogram `name`, or undefined when never defined. */
  histogram(name: string): readonly bigint[] | undefined {
    return this.stats.get(`${MetricType.Histogram}:${NAMESPACE}${name}`)?.samples;
  }

  /**
   * Applies the `stats_tags` extractors to a full stat name as Envoy does: each regex searches the
   * whole name, its first group is removed and its second group (or first) becomes the tag value.
   */
  extractTags(fullName: string): TaggedName {
    const tags: [string, string][] = [];
    const removed = new Array<boolean>(fullName.length).fill(false);
    for (const { tagName, regex } of this.extractors) {
      const match = regex.exec(fullName);
      const cut = match?.[1];
      if (!match || cut === undefined) continue;
      tags.push([tagName, match[2] ?? cut]);
      const start = match.index + match[0].indexOf(cut);
      for (let i = start; i < start + cut.length; i++) removed[i] = true;
    }
    const name = [...fullName].filter((_, i) => !removed[i]).join("");
    return { name, tags };
  }

  /**
   * The Wasm metrics as Envoy's /stats/prometheus prints them: the `wasmcustom.` namespace
   * stripped with no `envoy_` prefix, names sanitized to [a-zA-Z0-9_] (names starting with a digit
   * are left out), counters, then gauges, then histograms with their configured (or Envoy's default) buckets.
   */
  prometheus(): string {
    let out = "";
    for (const type of [MetricType.Counter, MetricType.Gauge, MetricType.Histogram]) {
      const families = new Map<string, { tags: string; stat: Stat }[]>();
      for (const stat of this.stats.values()) {
        if (stat.type !== type) continue;
        const tagged = this.extractTags(stat.fullName);
        const name = sanitizeName(tagged.name.slice(NAMESPACE.length));
        if (name === "" || /^[0-9]/.test(name)) continue;
        const tags = tagged.tags.map(([k, v]) => `${sanitizeName(k)}="${escapeValue(v)}"`).join(",");
        const family = families.get(name) ?? [];
        family.push({ tags, stat });
        families.set(name, family);
      }
      for (const name of [...families.keys()].sort()) {
        out += `# TYPE ${name} ${TYPE_NAMES[type]}\n`;
        const members = families.get(name)!.sort((a, b) => (a.tags < b.tags ? -1 : a.tags > b.tags ? 1 : 0));
        for (const { tags, stat } of members) {
          out +=
            type === MetricType.Histogram
              ? histogramLines(name, tags, stat, this.bucketsFor(stat.fullName))
              : `${name}{${tags}} ${stat.value}\n`;
        }
      }
    }
    return out;
  }
}

function histogramLines(name: string, tags: string, stat: Stat, buckets: readonly number[]): string {
  const prefix = tags === "" ? "" : `${tags},`;
  const counts = [...stat.counts].map(([value, count]) => [Number(value), count] as const);
  const countUpTo = (limit: number) => counts.reduce((n, [value, count]) => (value <= limit ? n + count : n), 0);
  let out = "";
  for (const bucket of buckets) out += `${name}_bucket{${prefix}le="${bucket}"} ${countUpTo(bucket)}\n`;
  out += `${name}_bucket{${prefix}le="+Inf"} ${countUpTo(Infinity)}\n`;
  out += `${name}_sum{${tags}} ${counts.reduce((n, [value, count]) => n + value * count, 0)}\n`;
  out += `${name}_count{${tags}} ${countUpTo(Infinity)}\n`;
  return out;
}

function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, "_");
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

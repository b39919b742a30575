// Metrics (reference abi.md 3.7, 5.6). Envoy names each metric `wasmcustom.<name>` and extracts
// no tags by itself, so labels travel inside the name in Istio's convention —
// `label=.=value;.;` fields before the metric name — and a `stats_tags` entry per label cuts
// them back out:
//
//   stats_config:
//     stats_tags:
//       - tag_name: method
//         regex: "(method=\\.=(.*?);\\.;)"
//
// Prometheus then shows `requests_total{method="GET"}`. Define metrics in onVmStart or
// onConfigure (not at top level) and keep the handles: each definition returns a new id.

import * as host from "./abi/state-hostcalls";
import { fatal } from "./abi/current";
import { MetricType, Status } from "./types";
import { StringBuilder } from "./string-builder";

/** One label of a metric: a name and its value. */
export class Label {
  constructor(
    /** The tag name; characters outside [a-zA-Z0-9_] become `_`. */
    public name: string,
    /** The tag value; `;` and `=` become `_` so a value cannot end its field early. */
    public value: string,
  ) {}
}

// Replaces each character a tag field may not hold with `_`; linear in the text's length (values
// can be as long as a header).
function clean(text: string, keepPunctuation: bool): string {
  const out = new StringBuilder();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
    const separator = c == 59 || c == 61;
    out.code(word || (keepPunctuation && !separator) ? c : 0x5f);
  }
  return out.toString();
}

/** Returns the metric name carrying `labels` in Istio's `label=.=value;.;` convention, ready for stats_tags extraction. */
export function metricName(name: string, labels: Array<Label> = []): string {
  let out = "";
  for (let i = 0; i < labels.length; i++) {
    out += clean(labels[i].name, false) + "=.=" + clean(labels[i].value, true) + ";.;";
  }
  return out + name;
}

function define(type: MetricType, name: string, labels: Array<Label>): u32 {
  const id = host.defineMetric(type, metricName(name, labels));
  if (id == 0) fatal("the host refused to define metric " + name);
  return id;
}

/** Adds `delta` to the counter or gauge with host id `id`, for code that keeps ids rather than handle objects. */
export function incrementMetric(id: u32, delta: i64): Status {
  return host.incrementMetric(id, delta);
}

/** Records `value` on the metric with host id `id` (a gauge's value, a histogram's sample; Envoy adds it to a counter), for code that keeps ids rather than handle objects. */
export function recordMetric(id: u32, value: u64): Status {
  return host.recordMetric(id, value);
}

/** A counter: only grows. */
export class Counter {
  constructor(
    /** The host's id for this handle. */
    public readonly id: u32,
  ) {}

  /** Defines counter `name` with `labels`; call from onVmStart or onConfigure, not at top level. */
  static define(name: string, labels: Array<Label> = []): Counter {
    return new Counter(define(MetricType.Counter, name, labels));
  }

  /** Adds `delta` (default 1); BadArgument for 0, since Envoy only accepts positive increments. */
  increment(delta: u64 = 1): Status {
    return incrementMetric(this.id, <i64>delta);
  }

  /** Returns the current value (shared by every handle and worker with this name). */
  value(): u64 {
    return host.getMetric(this.id);
  }
}

/** A gauge: goes up and down. */
export class Gauge {
  constructor(
    /** The host's id for this handle. */
    public readonly id: u32,
  ) {}

  /** Defines gauge `name` with `labels`; call from onVmStart or onConfigure, not at top level. */
  static define(name: string, labels: Array<Label> = []): Gauge {
    return new Gauge(define(MetricType.Gauge, name, labels));
  }

  /** Sets the value. */
  set(value: u64): Status {
    return recordMetric(this.id, value);
  }

  /** Adds `delta`; a negative delta subtracts. */
  add(delta: i64): Status {
    return incrementMetric(this.id, delta);
  }

  /** Returns the current value. */
  value(): u64 {
    return host.getMetric(this.id);
  }
}

/** A histogram of u64 samples (unit unspecified). */
export class Histogram {
  constructor(
    /** The host's id for this handle. */
    public readonly id: u32,
  ) {}

  /** Defines histogram `name` with `labels`; call from onVmStart or onConfigure, not at top level. */
  static define(name: string, labels: Array<Label> = []): Histogram {
    return new Histogram(define(MetricType.Histogram, name, labels));
  }

  /** Records one sample. */
  record(value: u64): Status {
    return recordMetric(this.id, value);
  }
}

function labelsOf(names: Array<string>, values: Array<string>): Array<Label> {
  if (names.length != values.length) fatal("expected " + names.length.toString() + " label values");
  const labels = new Array<Label>();
  for (let i = 0; i < names.length; i++) labels.push(new Label(names[i], values[i]));
  return labels;
}

function keyOf(values: Array<string>): string {
  return values.join("\u0000");
}

/** Counters sharing a name and label names, defined on first use per label values and cached. */
export class CounterFamily {
  private readonly members: Map<string, Counter> = new Map<string, Counter>();

  constructor(
    /** The metric name. */
    public readonly name: string,
    /** The label names, in the order values are given. */
    public readonly labelNames: Array<string>,
  ) {}

  /** Returns the counter for `values` (one per label name), defining it the first time; not at top level. */
  withValues(values: Array<string>): Counter {
    const key = keyOf(values);
    if (!this.members.has(key)) this.members.set(key, Counter.define(this.name, labelsOf(this.labelNames, values)));
    return this.members.get(key);
  }
}

/** Gauges sharing a name and label names, defined on first use per label values and cached. */
export class GaugeFamily {
  private readonly members: Map<string, Gauge> = new Map<string, Gauge>();

  constructor(
    /** The metric name. */
    public readonly name: string,
    /** The label names, in the order values are given. */
    public readonly labelNames: Array<string>,
  ) {}

  /** Returns the gauge for `values`, defining it the first time; not at top level. */
  withValues(values: Array<string>): Gauge {
    const key = keyOf(values);
    if (!this.members.has(key)) this.members.set(key, Gauge.define(this.name, labelsOf(this.labelNames, values)));
    return this.members.get(key);
  }
}

/** Histograms sharing a name and label names, defined on first use per label values and cached. */
export class HistogramFamily {
  private readonly members: Map<string, Histogram> = new Map<string, Histogram>();

  constructor(
    /** The metric name. */
    public readonly name: string,
    /** The label names, in the order values are given. */
    public readonly labelNames: Array<string>,
  ) {}

  /** Returns the histogram for `values`, defining it the first time; not at top level. */
  withValues(values: Array<string>): Histogram {
    const key = keyOf(values);
    if (!this.members.has(key)) {
      this.members.set(key, Histogram.define(this.name, labelsOf(this.labelNames, values)));
    }
    return this.members.get(key);
  }
}

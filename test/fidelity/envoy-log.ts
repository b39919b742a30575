// Reading Envoy's output: the `wasm log` lines of the `wasm` logger, and the Wasm metrics from
// admin /stats/prometheus.

// Envoy's default log format: `[time][thread][level][logger] [file:line] wasm log<prefix>: <message>`.
const WASM_LINE = /^\[[^\]]*\]\[(\d+)\]\[(\w+)\]\[wasm\] \[[^\]]*\] wasm log[^:]*: (.*)$/;

/** One `wasm log` line: the id of the thread that wrote it and `<level> <message>`. */
export interface WasmLogLine {
  thread: string;
  text: string;
}

/** Every `wasm log` line in `output`, in order, with spdlog's level names. */
export function wasmLogLines(output: string): WasmLogLine[] {
  const lines: WasmLogLine[] = [];
  for (const line of output.split("\n")) {
    const match = WASM_LINE.exec(line);
    if (match) lines.push({ thread: match[1]!, text: `${match[2]} ${match[3]}` });
  }
  return lines;
}

/** The thread labels of `setup` in comparison order: "main", then "worker 0", "worker 1"... */
export function threadOrder(setup: { workers?: number }): string[] {
  return ["main", ...Array.from({ length: setup.workers ?? 1 }, (_, i) => `worker ${i}`)];
}

/**
 * Lines as `<thread>: <text>`, grouped by thread in the order of `threads` (and order kept within
 * each), so lines from different threads compare without depending on how the threads raced.
 */
export function byThread(lines: { thread: string; text: string }[], threads: string[]): string[] {
  const rank = (thread: string) => (threads.includes(thread) ? threads.indexOf(thread) : threads.length);
  return lines
    .map((line, index) => ({ ...line, index }))
    .sort((a, b) => rank(a.thread) - rank(b.thread) || a.thread.localeCompare(b.thread) || a.index - b.index)
    .map((line) => `${line.thread}: ${line.text}`);
}

/**
 * The counters and gauges in Prometheus text that are not Envoy's own: Envoy prefixes its stats
 * with `envoy_`, and prints the `wasmcustom` namespace without a prefix (abi.md 5.6).
 */
export function wasmSeries(prometheus: string): Map<string, bigint> {
  const types = new Map<string, string>();
  const series = new Map<string, bigint>();
  for (const line of prometheus.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line === "" || line.startsWith("#") || line.startsWith("envoy_")) continue;
    const sample = /^([^{ ]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const kind = types.get(sample[1]!);
    if (kind !== "counter" && kind !== "gauge") continue;
    series.set(`${sample[1]}${sample[2] ?? "{}"}`, BigInt(sample[3]!));
  }
  return series;
}

/** The series whose value changed from `before` to `after`, with the change. */
export function seriesDelta(before: Map<string, bigint>, after: Map<string, bigint>): Record<string, string> {
  const delta: Record<string, string> = {};
  for (const [name, value] of [...after].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const change = value - (before.get(name) ?? 0n);
    if (change !== 0n) delta[name] = change.toString();
  }
  return delta;
}

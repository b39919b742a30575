// Ships access log lines to an HTTP collector: lines wait in a bounded queue on the root context
// and go out on the root's tick, one batch (newline-delimited JSON, POST) at a time; while full
// batches wait, each accepted batch is followed by the next at once. A failed batch
// is retried on later ticks up to `maxRetries` times, then dropped; lines that do not fit in the
// queue are dropped. Every drop is counted, and nothing here ever waits on a request's path.

import { Counter, HttpCallHandler, HttpCallRequest, HttpCallResponse, httpCall, logWarn } from "../../assembly";
import { CollectorConfig } from "./access-log-config";
import { LineQueue } from "./line-queue";

/** The queue and the batch in flight. */
export class Collector {
  private queue: LineQueue = new LineQueue();
  // The batch being sent (its body) and how many lines it holds; null between batches.
  private batch: ArrayBuffer | null = null;
  private batchLines: i32 = 0;
  private inFlight: bool = false;
  private attempts: i32 = 0;
  /** Lines the collector accepted. */
  readonly shipped: Counter = Counter.define("telemetry_access_log_lines_shipped");
  /** Lines dropped: queue full, or a batch out of retries. */
  readonly dropped: Counter = Counter.define("telemetry_access_log_lines_dropped");
  /** Batches that failed (each retry counts). */
  readonly failed: Counter = Counter.define("telemetry_access_log_batches_failed");

  constructor(private config: CollectorConfig) {}

  /** Queues a line; drops and counts it when the queue is full. */
  add(line: string): void {
    if (this.queue.length + this.batchLines >= this.config.maxQueue) {
      this.dropped.increment();
      return;
    }
    this.queue.push(line);
  }

  /** Sends the next batch unless one is in flight; call from the root context (on its tick). */
  flush(): void {
    if (this.inFlight) return;
    let batch = this.batch;
    if (batch == null) {
      const size = min(this.config.batchSize, this.queue.length);
      if (size == 0) return;
      batch = this.queue.shift(size);
      this.batch = batch;
      this.batchLines = size;
      this.attempts = 0;
    }
    const request = new HttpCallRequest("POST", this.config.authority, this.config.path).header(
      "content-type",
      "application/x-ndjson",
    );
    request.body = batch;
    this.attempts++;
    if (httpCall(this.config.cluster, request, this.config.timeoutMs, new BatchHandler(this)).ok) {
      this.inFlight = true;
      return;
    }
    logWarn("telemetry: the access log collector cluster " + this.config.cluster + " is not defined");
    this.settle(false);
  }

  /** Takes the answer to the batch in flight. */
  settle(ok: bool): void {
    this.inFlight = false;
    if (ok) {
      this.shipped.increment(<u64>this.batchLines);
      this.endBatch();
      // A full batch already waiting goes at once (the answer arrives on the root context), so
      // the collector is not limited to one batch per tick.
      if (this.queue.length >= this.config.batchSize) this.flush();
      return;
    }
    this.failed.increment();
    if (this.attempts > this.config.maxRetries) {
      this.dropped.increment(<u64>this.batchLines);
      this.endBatch();
    }
  }

  private endBatch(): void {
    this.batch = null;
    this.batchLines = 0;
  }
}

class BatchHandler extends HttpCallHandler {
  constructor(private collector: Collector) {
    super();
  }

  onResponse(response: HttpCallResponse): void {
    this.collector.settle(!response.failed && response.statusCode >= 200 && response.statusCode < 300);
  }
}

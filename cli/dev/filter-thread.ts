// The HTTP thread's side of the dev proxy's filter thread (filter-worker.ts). Node runs JavaScript
// on one thread, so with the filters there too the sockets would wait on the Wasm code and the Wasm
// code on the sockets; the filters, routing and upstream exchanges of every listener with filters
// run on a worker thread instead, and this thread keeps the clients' connections. What a client does
// goes out as one message at the end of each task, and what to send it comes back the same way.

import { type IncomingMessage, type ServerResponse } from "node:http";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type DevBootstrap } from "./bootstrap.js";
import { ClientResponse, relayRequest } from "./client.js";
import { type DownstreamAction, type FromFilterThread, type StreamOp, type ToFilterThread } from "./filter-messages.js";
import { type LogWriter } from "./wasm-log.js";

/** How long stop() waits for the thread to close its admin listener before it ends the thread anyway, in ms. */
const STOP_WAIT_MS = 1_000;

// Run from its TypeScript source (tests, tsx), the worker registers tsx before loading its entry.
function startWorker(): Worker {
  const entry = new URL(`./filter-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry);
  const code = `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(code, { eval: true });
}

/** The filter thread, seen from the HTTP thread. */
export class FilterThread {
  // The responses of the streams the filter thread has not finished.
  private readonly responses = new Map<number, ClientResponse>();
  private ops: StreamOp[] = [];
  private nextStream = 1;
  private stopped: (() => void) | null = null;
  // Set once the thread is gone: every stream, open or new, fails with it.
  private lost: string | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly log: LogWriter,
  ) {}

  /**
   * Starts the thread, which loads every listener's filters and starts the admin listener; their
   * log lines go to `log`. Rejects, after those lines, when a filter does not start.
   */
  static start(bootstrap: DevBootstrap, log: LogWriter): Promise<FilterThread> {
    const thread = new FilterThread(startWorker(), log);
    return new Promise((resolve, reject) => {
      let starting = true;
      // The error says it all; the thread's end that follows is not news.
      const refuse = (error: Error) => {
        starting = false;
        thread.lost = error.message;
        reject(error);
      };
      thread.worker.on("message", (message: FromFilterThread) => {
        if (message.kind === "ready") {
          starting = false;
          resolve(thread);
        } else if (message.kind === "failed") {
          // Not refused before the thread has ended, and its end is then no longer "starting".
          starting = false;
          thread.lost = message.message;
          void thread.worker.terminate().then(() => reject(new Error(message.message)));
        } else {
          thread.receive(message);
        }
      });
      thread.worker.on("error", (error) => {
        if (starting) refuse(error);
        else thread.lose(`the filter thread failed: ${error.message}`);
      });
      thread.worker.on("exit", () => {
        if (starting) refuse(new Error("the filter thread stopped while starting"));
        else thread.lose("the filter thread stopped");
      });
      thread.post({ kind: "start", bootstrap });
    });
  }

  /** Serves `req` through the filters of the bootstrap's listener number `listener`. */
  serve(listener: number, req: IncomingMessage, res: ServerResponse, connection: bigint): void {
    const response = new ClientResponse(res);
    if (this.lost !== null) {
      response.fail(this.lost);
      return;
    }
    const stream = this.nextStream++;
    this.responses.set(stream, response);
    const source = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    relayRequest(req, res, {
      start: (headers, hasBody) => this.send({ kind: "open", stream, listener, source, connection, headers, hasBody }),
      requestData: (chunk) => {
        if (this.responses.has(stream)) this.send({ kind: "data", stream, chunk });
      },
      requestEnd: () => {
        if (this.responses.has(stream)) this.send({ kind: "end", stream });
      },
      // Also heard after a complete response, which the filter thread has already finished.
      clientGone: () => {
        if (this.responses.delete(stream)) this.send({ kind: "gone", stream });
      },
    });
  }

  /** Stops the thread's clock and admin listener, then ends the thread. */
  async stop(): Promise<void> {
    if (this.lost !== null) return;
    this.flush();
    await new Promise<void>((resolve) => {
      this.stopped = resolve;
      this.post({ kind: "stop" });
      // A filter still computing holds the thread up; ending the thread interrupts it.
      setTimeout(resolve, STOP_WAIT_MS).unref();
    });
    this.lost ??= "the dev proxy stopped";
    await this.worker.terminate();
  }

  // Queues `op`; the ops of one task (one socket event, say) go out together when it ends.
  private send(op: StreamOp): void {
    if (this.lost !== null) return;
    this.ops.push(op);
    if (this.ops.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    this.post({ kind: "ops", ops });
  }

  private post(message: ToFilterThread): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromFilterThread): void {
    if (message.kind === "stopped") {
      this.lost = "the dev proxy stopped";
      this.stopped?.();
      return;
    }
    if (message.kind !== "events") return;
    for (const line of message.lines) this.log(line);
    for (const action of message.actions) this.act(action);
  }

  // One action on a client's response; one Node refuses (a header it cannot write) fails that
  // response and ends the stream on the filter thread.
  private act(action: DownstreamAction): void {
    const response = this.responses.get(action.stream);
    if (response === undefined) return;
    try {
      this.apply(action, response);
    } catch (error) {
      this.responses.delete(action.stream);
      response.fail(error instanceof Error ? error.message : String(error));
      this.send({ kind: "gone", stream: action.stream });
    }
  }

  private apply(action: DownstreamAction, response: ClientResponse): void {
    switch (action.kind) {
      case "head":
        response.head(action.status, action.headers, action.length);
        break;
      case "write":
        response.write(action.chunk);
        break;
      case "end":
        this.responses.delete(action.stream);
        response.end();
        break;
      case "reset":
        this.responses.delete(action.stream);
        response.reset();
        break;
    }
  }

  private lose(why: string): void {
    if (this.lost !== null) return;
    this.lost = why;
    this.log(`envoy-as dev: ${why}`);
    for (const response of this.responses.values()) response.fail(why);
    this.responses.clear();
    this.stopped?.();
  }
}

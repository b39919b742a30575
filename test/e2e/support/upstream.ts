// A loopback upstream for end-to-end tests: records each request's raw headers (repeated names
// kept apart) and body, and answers with the response headers the test chose.

import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo } from "node:net";

/** A request as the upstream received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** An HTTP server on 127.0.0.1 that records requests and replies with fixed headers. */
export class RecordingUpstream {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | null = null;

  constructor(private readonly responseHeaders: [string, string][]) {}

  /** Starts listening on a free port and returns it. */
  async start(): Promise<number> {
    this.server = createServer((req: IncomingMessage, res) => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
      }
      const received = { method: req.method ?? "", url: req.url ?? "", headers, body: "" };
      this.requests.push(received);
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (received.body += chunk));
      req.on("end", () => {
        for (const [name, value] of this.responseHeaders) res.appendHeader(name, value);
        res.end("upstream body");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Sends a request (a GET unless `options` say otherwise) to 127.0.0.1:`port`; returns the status, raw response headers and body. */
export async function sendRequest(
  port: number,
  path: string,
  headers: [string, string][],
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: [string, string][]; body: string }> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    // Raw header arrays skip Node's automatic Host header, which HTTP/1.1 requires.
    const flat = ["host", `127.0.0.1:${port}`, ...headers.flat()];
    const method = options.method ?? "GET";
    const req = request({ host: "127.0.0.1", port, path, method, headers: flat }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        const raw: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          raw.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        }
        resolve({ status: res.statusCode ?? 0, headers: raw, body });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

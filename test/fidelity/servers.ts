// Scripted loopback HTTP servers: the upstream and the callout clusters. Each records every
// request (raw headers, repeated names kept apart, and the body) and answers with its script.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { type CalloutScript, type Headers, type ObservedRequest } from "./types.js";

function rawHeaders(req: IncomingMessage): Headers {
  const headers: Headers = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
  }
  return headers;
}

function answer(res: ServerResponse, script: CalloutScript): void {
  if ("reset" in script) return void res.socket?.destroy();
  const body = script.body ?? "";
  // Explicit headers only: no Date, and a content-length so the framing is fixed.
  res.sendDate = false;
  res.statusCode = script.status;
  for (const [name, value] of script.headers ?? []) res.appendHeader(name, value);
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(body);
}

/** An HTTP server on 127.0.0.1 that records requests and answers with `script`. */
export class ScriptedServer {
  readonly requests: ObservedRequest[] = [];
  private server: Server | null = null;

  constructor(public script: CalloutScript) {}

  /** Starts listening on a free port and returns it. */
  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        this.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: rawHeaders(req), body });
        answer(res, this.script);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops the server and drops its idle connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

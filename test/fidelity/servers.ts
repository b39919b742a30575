// Scripted loopback HTTP servers: the upstream and the callout clusters. Each records every
// request (raw headers, repeated names kept apart, and the body) and answers with its script.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
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
  if ("stall" in script) return;
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

/** A TCP server on 127.0.0.1 that records the bytes of each connection and answers once with `reply`. */
export class ScriptedTcpServer {
  /** The bytes each connection received, in order of connection. */
  readonly received: string[] = [];
  reply = "";
  private server: TcpServer | null = null;
  private readonly sockets = new Set<Socket>();

  /** Starts listening on a free port and returns it; the server half-closes when its peer does. */
  async start(): Promise<number> {
    this.server = createTcpServer({ allowHalfOpen: true }, (socket) => {
      const index = this.received.push("") - 1;
      this.sockets.add(socket);
      socket.on("data", (chunk: Buffer) => {
        const first = this.received[index] === "";
        this.received[index] += chunk.toString("utf8");
        if (first && this.reply !== "") socket.write(this.reply);
      });
      socket.on("end", () => socket.end());
      socket.on("error", () => socket.destroy());
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops the server and drops its connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

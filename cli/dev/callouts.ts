// The filters' HTTP callouts (proxy_http_call), made for real: each call the harness holds goes to
// its cluster's endpoint, and the answer (or the failure) is delivered back to the filter.

import { request as httpRequest } from "node:http";
import { type HttpCall, type Plugin } from "../../harness/index.js";
import { type Cluster } from "./bootstrap.js";
import { HOP_BY_HOP } from "./proxied-stream.js";

type Headers = [string, string][];

/** Sends every callout of `plugins` not sent yet; `answered` is called after each answer is delivered. */
export class Callouts {
  private readonly sent = new WeakSet<HttpCall>();

  constructor(
    private readonly plugins: Plugin[],
    private readonly clusters: Map<string, Cluster>,
    private readonly answered: () => void,
  ) {}

  /** Starts the calls issued since the last pump. */
  pump(): void {
    for (const plugin of this.plugins) {
      for (const call of plugin.httpCalls) {
        if (this.sent.has(call)) continue;
        this.sent.add(call);
        const cluster = this.clusters.get(call.cluster);
        void (cluster ? exchange(cluster, call.headers, call.body) : Promise.resolve(null)).then((answer) => {
          if (!answer) call.fail();
          else call.respond({ headers: [[":status", String(answer.status)], ...answer.headers], body: answer.body });
          this.answered();
        });
      }
    }
  }
}

// One buffered HTTP/1.1 exchange with a cluster's endpoint; null when the connection fails.
function exchange(
  cluster: Cluster,
  headers: Headers,
  body: Uint8Array,
): Promise<{ status: number; headers: Headers; body: Uint8Array } | null> {
  return new Promise((resolve) => {
    const pseudo = (name: string) => headers.find(([k]) => k === name)?.[1];
    const flat: string[] = ["host", pseudo(":authority") ?? cluster.name];
    for (const [k, v] of headers) if (!k.startsWith(":") && k !== "content-length") flat.push(k, v);
    if (body.length > 0) flat.push("content-length", String(body.length));
    const req = httpRequest(
      {
        host: cluster.address,
        port: cluster.port,
        method: pseudo(":method") ?? "GET",
        path: pseudo(":path") ?? "/",
        headers: flat,
        timeout: cluster.connectTimeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const out: Headers = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase();
            if (!HOP_BY_HOP.has(name) && name !== "content-length") out.push([name, res.rawHeaders[i + 1]!]);
          }
          resolve({ status: res.statusCode ?? 502, headers: out, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on("error", () => resolve(null));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
    req.end(Buffer.from(body));
  });
}

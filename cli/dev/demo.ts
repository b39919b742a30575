// The demo's services on loopback: an echo upstream (answers with the request it got, as JSON), an
// identity provider (a JWKS, and RS256 tokens minted on request) and a log collector (keeps the
// access log lines it is sent). Ports come from the bootstrap's clusters of the same names.

import { type IncomingMessage, type Server, createServer } from "node:http";
import { type KeyObject, generateKeyPairSync, sign } from "node:crypto";
import { type DevBootstrap } from "./bootstrap.js";

/** The issuer and audience the demo configuration expects. */
export const DEMO_ISSUER = "https://idp.demo.envoy-as";
export const DEMO_AUDIENCE = "demo-api";

/** The running demo services. */
export class DemoServices {
  /** Access log lines the collector received. */
  readonly logs: string[] = [];
  private readonly servers: Server[] = [];
  private readonly key = generateKeyPairSync("rsa", { modulusLength: 2048 });

  /** Starts the services on the ports of clusters `upstream`, `idp` and `log-collector`. */
  static async start(bootstrap: DevBootstrap): Promise<DemoServices> {
    const services = new DemoServices();
    const port = (name: string) => {
      const cluster = bootstrap.clusters.get(name);
      if (!cluster) throw new Error(`the demo needs a cluster named ${name}`);
      return cluster.port;
    };
    await services.listen(port("upstream"), (req, body) => echo(req, body));
    await services.listen(port("idp"), (req) => services.identity(req));
    await services.listen(port("log-collector"), (req, body) => services.collect(req, body));
    return services;
  }

  /** Stops every service. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of this.servers) s.closeAllConnections();
  }

  /** An RS256 token for `claims` from the demo identity provider, valid for an hour. */
  token(claims: Record<string, unknown>): string {
    return mint(this.key.privateKey, claims);
  }

  private identity(req: IncomingMessage): Answer {
    const url = new URL(req.url ?? "/", "http://idp");
    if (url.pathname === "/.well-known/jwks.json") {
      const jwk = this.key.publicKey.export({ format: "jwk" });
      return json(200, { keys: [{ ...jwk, kid: "demo", alg: "RS256", use: "sig" }] });
    }
    if (url.pathname === "/token") {
      const claims = Object.fromEntries(url.searchParams.entries());
      return { status: 200, type: "text/plain", body: this.token({ sub: "demo", ...claims }) };
    }
    return json(404, { error: "the identity provider serves /.well-known/jwks.json and /token?sub=...&role=..." });
  }

  private collect(req: IncomingMessage, body: string): Answer {
    if (req.method === "POST") {
      this.logs.push(...body.split("\n").filter((line) => line !== ""));
      return { status: 204, type: "text/plain", body: "" };
    }
    return { status: 200, type: "application/x-ndjson", body: this.logs.map((l) => l + "\n").join("") };
  }

  private async listen(port: number, handle: (req: IncomingMessage, body: string) => Answer): Promise<void> {
    const server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        const answer = handle(req, body);
        res.writeHead(answer.status, { "content-type": answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.servers.push(server);
  }
}

type Answer = { status: number; type: string; body: string };

function json(status: number, value: unknown): Answer {
  return { status, type: "application/json", body: JSON.stringify(value, null, 2) + "\n" };
}

function echo(req: IncomingMessage, body: string): Answer {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!.toLowerCase()] = req.rawHeaders[i + 1]!;
  return json(200, { method: req.method, path: req.url, headers, body });
}

function b64u(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

function mint(key: KeyObject, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64u(JSON.stringify({ alg: "RS256", kid: "demo", typ: "JWT" }));
  const payload = b64u(JSON.stringify({ iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, iat: now, exp: now + 3600, ...claims }));
  return `${header}.${payload}.${b64u(sign("sha256", Buffer.from(`${header}.${payload}`), key))}`;
}

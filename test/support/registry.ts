// Test support for the OCI registry client: a real Debian `docker-registry` (CNCF Distribution 2.8)
// started on a free loopback port with its own storage root, optionally behind htpasswd Basic auth;
// small node:http stubs and proxies to disturb it; and OCI layouts built with GNU tar as an oracle.
// Recipe from /work/shared/reference/distribution.md §3.6.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { freePort } from "../e2e/support/config.js";

const REGISTRY_BINARY = "/usr/bin/docker-registry";

function onPath(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Why the registry tests cannot run here (a missing tool, with the package to install), or null when they can. */
export function missingRegistryTools(): string | null {
  const missing: string[] = [];
  if (!existsSync(REGISTRY_BINARY)) missing.push(`${REGISTRY_BINARY} (apt-get install docker-registry)`);
  if (!onPath("skopeo")) missing.push("skopeo (apt-get install skopeo)");
  if (!onPath("htpasswd")) missing.push("htpasswd (apt-get install apache2-utils)");
  return missing.length === 0 ? null : `missing ${missing.join(", ")}`;
}

/** How to start a registry. */
export interface RegistryOptions {
  /** Storage root to reuse (to look at what an earlier registry stored); a new temp dir by default. */
  storage?: string;
  /** Require Basic auth with this user and password (bcrypt htpasswd line from `htpasswd -B`). */
  user?: { name: string; password: string };
  /** Answer with relative Location headers (Distribution's http.relativeurls). */
  relativeUrls?: boolean;
}

/** A running docker-registry. */
export interface TestRegistry {
  /** "127.0.0.1:<port>", the registry part of image references. */
  host: string;
  /** Its storage root. */
  storage: string;
  /** Kills it (SIGKILL when `abruptly`) and waits for the process to end. */
  stop(abruptly?: boolean): Promise<void>;
}

async function waitForApi(origin: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited early:\n${readFileSync(log, "utf8")}`);
    const status = await fetch(`${origin}/v2/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200 || status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer on ${origin} within 20 s:\n${readFileSync(log, "utf8")}`);
}

/** Starts docker-registry on a free loopback port and waits until GET /v2/ answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const work = mkdtempSync(join(tmpdir(), "envoy-as-registry-"));
  const storage = options.storage ?? join(work, "data");
  mkdirSync(storage, { recursive: true });
  const port = await freePort();
  const lines = [
    "version: 0.1",
    "log: {level: warn, accesslog: {disabled: true}}",
    `storage: {filesystem: {rootdirectory: "${storage}"}, delete: {enabled: true}}`,
    `http: {addr: "127.0.0.1:${port}", secret: envoy-as-test, relativeurls: ${options.relativeUrls === true}}`,
  ];
  if (options.user !== undefined) {
    const htpasswd = execFileSync("htpasswd", ["-Bbn", options.user.name, options.user.password], { encoding: "utf8" });
    writeFileSync(join(work, "htpasswd"), htpasswd.trim() + "\n");
    lines.push(`auth: {htpasswd: {realm: envoy-as-test, path: "${join(work, "htpasswd")}"}}`);
  }
  writeFileSync(join(work, "config.yml"), lines.join("\n") + "\n");
  const log = join(work, "registry.log");
  const output = openSync(log, "a");
  const child = spawn(REGISTRY_BINARY, ["serve", join(work, "config.yml")], { stdio: ["ignore", output, output] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitForApi(`http://127.0.0.1:${port}`, child, log);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    host: `127.0.0.1:${port}`,
    storage,
    stop: async (abruptly = false) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(abruptly ? "SIGKILL" : "SIGTERM");
      await exited;
    },
  };
}

/** A node:http server on a free loopback port. */
export interface TestServer {
  /** "127.0.0.1:<port>". */
  host: string;
  /** Every request as "METHOD /path?query", in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts `handler` on a free loopback port, recording each request line. */
export async function startServer(
  handler: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void | Promise<void>,
): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push(`${request.method} ${request.url}`);
      Promise.resolve(handler(request, Buffer.concat(chunks), response)).catch((error: unknown) => {
        response.writeHead(599).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Forwards `request` to `target` (host:port) and writes the answer; `transform` may change the body. */
export async function forward(
  target: string,
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
  transform: (bytes: Buffer) => Buffer = (bytes) => bytes,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) headers.set(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const answer = await fetch(`http://${target}${request.url}`, {
    method: request.method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
    redirect: "manual",
  });
  const bytes = transform(Buffer.from(await answer.arrayBuffer()));
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(name)) out[name] = value;
  });
  if (request.method !== "HEAD") out["content-length"] = String(bytes.length);
  else if (answer.headers.has("content-length")) out["content-length"] = answer.headers.get("content-length")!;
  response.writeHead(answer.status, out).end(request.method === "HEAD" ? undefined : bytes);
}

/** The hex sha256 of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A valid Wasm module of `size` bytes at least: the header plus a custom section named `label`. */
export function tinyWasm(label: string, size = 0): Buffer {
  const name = Buffer.from(label);
  const payload = Buffer.concat([Buffer.from([name.length]), name, Buffer.alloc(size)]);
  const length: number[] = [];
  let rest = payload.length;
  do {
    length.push((rest & 0x7f) | (rest >= 0x80 ? 0x80 : 0));
    rest >>>= 7;
  } while (rest > 0);
  return Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0]), Buffer.from(length), payload]);
}

/** The digests of an image written by writeTestLayout. */
export interface TestImage {
  manifestDigest: string;
  wasmSha256: string;
  /** Digests of the config and layer blobs. */
  blobDigests: string[];
}

/** Writes an OCI layout in `dir` with one compat image (GNU tar + gzip layer holding plugin.wasm), tagged `tag`. */
export function writeTestLayout(dir: string, wasm: Uint8Array, tag: string): TestImage {
  const source = mkdtempSync(join(tmpdir(), "envoy-as-wasm-"));
  writeFileSync(join(source, "plugin.wasm"), wasm);
  const tar = execFileSync("tar", [
    "--format=ustar",
    "--owner=0",
    "--group=0",
    "--mtime=@0",
    "-cf",
    "-",
    "-C",
    source,
    "plugin.wasm",
  ]);
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: [`sha256:${sha256(tar)}`] },
      config: {},
    }),
  );
  const descriptor = (mediaType: string, bytes: Buffer) => ({
    mediaType,
    digest: `sha256:${sha256(bytes)}`,
    size: bytes.length,
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptor("application/vnd.oci.image.config.v1+json", config),
      layers: [descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)],
      annotations: { "module.wasm.image/variant": "compat" },
    }),
  );
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  for (const blob of [config, layer, manifest]) writeFileSync(join(dir, "blobs", "sha256", sha256(blob)), blob);
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const top = {
    ...descriptor("application/vnd.oci.image.manifest.v1+json", manifest),
    annotations: { "org.opencontainers.image.ref.name": tag },
  };
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [top] }));
  return {
    manifestDigest: top.digest,
    wasmSha256: sha256(wasm),
    blobDigests: [`sha256:${sha256(config)}`, `sha256:${sha256(layer)}`],
  };
}

// A small OCI distribution client on Node's fetch: blob HEAD/upload/GET and manifest PUT/GET for one
// repository, answering Basic and Bearer challenges, verifying every digest the registry returns.
// Endpoints and status codes from opencontainers/distribution-spec spec.md (see
// /work/shared/reference/distribution.md §3.1); monolithic uploads (POST then PUT ?digest=).

import { RegistryAuth, type Credentials } from "./auth.js";
import { digestOf } from "./digest.js";
import { type ImageReference, registryOrigin } from "./reference.js";
import { networkReason, RegistryError, responseReason, shortDigest } from "./registry-error.js";

/** The manifest media types a pull accepts (OCI and Docker, single images and indexes). */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];

/** How to reach a registry. */
export interface ClientOptions {
  /** Allow plain HTTP to a host that is not loopback (loopback hosts always use plain HTTP). */
  insecure?: boolean;
  /** Credentials for Basic auth and for the token server; null or absent for anonymous access. */
  credentials?: Credentials | null;
  /** Whether Bearer tokens must allow pushing (scope pull,push) rather than pulling only. */
  push?: boolean;
  /** The fetch to use (tests count or disturb requests through it). */
  fetch?: typeof fetch;
}

/** A manifest as the registry returned it. */
export interface FetchedManifest {
  /** The exact bytes, which the digest covers. */
  bytes: Uint8Array;
  /** The manifest's media type (its `mediaType` field, else the response Content-Type). */
  mediaType: string;
  /** The sha256 digest of `bytes`. */
  digest: string;
}

/** One repository of one registry, e.g. 127.0.0.1:5000/filters/jwt-authn. */
export class RegistryClient {
  /** The URL origin requests go to (http:// or https://HOST[:PORT]). */
  readonly origin: string;
  private readonly auth: RegistryAuth;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly ref: ImageReference,
    options: ClientOptions = {},
  ) {
    this.origin = registryOrigin(ref.registry, options.insecure === true);
    this.fetchFn = options.fetch ?? fetch;
    const scope = `repository:${ref.repository}:${options.push === true ? "pull,push" : "pull"}`;
    this.auth = new RegistryAuth(options.credentials ?? null, scope, this.fetchFn);
  }

  private url(path: string): string {
    return `${this.origin}/v2/${this.ref.repository}/${path}`;
  }

  // Sends one request, answering up to two 401 challenges (a registry may ask again for a wider scope).
  private async send(step: string, url: string, init: RequestInit = {}): Promise<Response> {
    for (let challenges = 0; ; challenges++) {
      const headers = new Headers(init.headers);
      const authorization = this.auth.header();
      if (authorization !== null) headers.set("authorization", authorization);
      let response: Response;
      try {
        response = await this.fetchFn(url, { ...init, headers });
      } catch (error) {
        throw new RegistryError(step, networkReason(error, this.origin));
      }
      if (response.status !== 401) return response;
      await response.body?.cancel();
      if (challenges === 2) throw new RegistryError(step, this.auth.refusal());
      await this.auth.answer(response.headers.get("www-authenticate"), step);
      if (this.auth.header() === authorization) throw new RegistryError(step, this.auth.refusal());
    }
  }

  /** Whether the repository already holds blob `digest` (HEAD: 200 yes, 404 no). */
  async hasBlob(digest: string): Promise<boolean> {
    const step = `check blob ${shortDigest(digest)}`;
    const response = await this.send(step, this.url(`blobs/${digest}`), { method: "HEAD" });
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw new RegistryError(step, await responseReason(response));
  }

  /** Uploads `bytes` as blob `digest` in one piece (POST an upload session, then PUT ?digest=). */
  async uploadBlob(digest: string, bytes: Uint8Array): Promise<void> {
    const step = `upload blob ${shortDigest(digest)}`;
    const start = await this.send(step, this.url("blobs/uploads/"), { method: "POST" });
    if (start.status !== 202) throw new RegistryError(step, await responseReason(start));
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (location === null) throw new RegistryError(step, "registry answered 202 without a Location header");
    // Location may be relative and may already carry query parameters; keep them as they are.
    const session = new URL(location, start.url || this.url("blobs/uploads/")).href;
    const target = `${session}${session.includes("?") ? "&" : "?"}digest=${digest}`;
    const put = await this.send(step, target, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array(bytes),
    });
    if (put.status !== 201) throw new RegistryError(step, await responseReason(put));
    await put.body?.cancel();
    const stored = put.headers.get("docker-content-digest");
    if (stored !== null && stored !== digest) {
      throw new RegistryError(step, `digest mismatch: the registry stored ${stored}, we sent ${digest}`);
    }
  }

  /** The digest `reference` (tag or digest) currently names (HEAD), or null when the registry has no such manifest. */
  async manifestDigest(reference: string): Promise<string | null> {
    const step = `check manifest ${reference.startsWith("sha256:") ? shortDigest(reference) : reference}`;
    const response = await this.send(step, this.url(`manifests/${reference}`), {
      method: "HEAD",
      headers: { accept: MANIFEST_MEDIA_TYPES.join(", ") },
    });
    if (response.status === 404) return null;
    if (response.status !== 200) throw new RegistryError(step, await responseReason(response));
    return response.headers.get("docker-content-digest");
  }

  /** PUTs manifest `bytes` under `reference` (a tag or its digest); returns the digest the registry confirmed. */
  async putManifest(reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = digestOf(bytes);
    const step = `put manifest ${reference.startsWith("sha256:") ? shortDigest(reference) : reference}`;
    const response = await this.send(step, this.url(`manifests/${reference}`), {
      method: "PUT",
      headers: { "content-type": mediaType },
      body: new Uint8Array(bytes),
    });
    if (response.status !== 201) throw new RegistryError(step, await responseReason(response));
    await response.body?.cancel();
    const stored = response.headers.get("docker-content-digest");
    if (stored !== null && stored !== digest) {
      throw new RegistryError(step, `digest mismatch: the registry stored ${stored}, we sent ${digest}`);
    }
    return digest;
  }

  /** GETs the manifest named by `reference` (tag or digest) and checks its digest. */
  async getManifest(reference: string): Promise<FetchedManifest> {
    const step = `get manifest ${reference.startsWith("sha256:") ? shortDigest(reference) : reference}`;
    const response = await this.send(step, this.url(`manifests/${reference}`), {
      headers: { accept: MANIFEST_MEDIA_TYPES.join(", ") },
    });
    if (response.status === 404) throw new RegistryError(step, `not found (${await responseReason(response)})`);
    if (response.status !== 200) throw new RegistryError(step, await responseReason(response));
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = digestOf(bytes);
    const claimed = reference.startsWith("sha256:") ? reference : response.headers.get("docker-content-digest");
    if (claimed !== null && claimed !== digest) {
      throw new RegistryError(step, `digest mismatch: expected ${claimed}, the bytes hash to ${digest}`);
    }
    let mediaType: unknown;
    try {
      mediaType = (JSON.parse(Buffer.from(bytes).toString("utf8")) as { mediaType?: unknown }).mediaType;
    } catch {
      throw new RegistryError(step, "the manifest is not JSON");
    }
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (typeof mediaType === "string" && contentType !== "" && contentType !== mediaType) {
      throw new RegistryError(step, `Content-Type ${contentType} does not match the manifest's mediaType ${mediaType}`);
    }
    return { bytes, mediaType: typeof mediaType === "string" ? mediaType : contentType, digest };
  }

  /** GETs blob `digest` and checks that it has `size` bytes hashing to `digest`. */
  async getBlob(digest: string, size: number): Promise<Uint8Array> {
    const step = `get blob ${shortDigest(digest)}`;
    const response = await this.send(step, this.url(`blobs/${digest}`));
    if (response.status !== 200) throw new RegistryError(step, await responseReason(response));
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== size)
      throw new RegistryError(step, `size mismatch: expected ${size} bytes, got ${bytes.length}`);
    const actual = digestOf(bytes);
    if (actual !== digest) throw new RegistryError(step, `digest mismatch: the bytes hash to ${actual}`);
    return bytes;
  }
}

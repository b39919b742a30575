// Reading and writing any OCI image layout directory (image-spec image-layout.md) for push (read) and
// pull (write). Unlike layout.ts, which reads the single OCI image `package` writes, this walks what
// other tools write too: nested indexes and Docker manifests. Every blob read is checked against its
// name; tags live in index.json as org.opencontainers.image.ref.name.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestHex, digestOf } from "./digest.js";
import type { Descriptor } from "./layout.js";
import { INDEX_MEDIA_TYPE, REF_NAME_ANNOTATION as REF_NAME } from "./media-types.js";
import { RegistryError } from "./registry-error.js";

const STEP = "read layout";

/** What a manifest refers to: child manifests (for an index) and blobs (config and layers of an image). */
export interface ManifestReferences {
  manifests: Descriptor[];
  blobs: Descriptor[];
  /** The manifest's own mediaType field, or null when it has none. */
  mediaType: string | null;
}

function isDescriptor(value: unknown): value is Descriptor {
  const candidate = value as Descriptor | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.mediaType === "string" &&
    typeof candidate.digest === "string" &&
    digestHex(candidate.digest) !== null &&
    Number.isSafeInteger(candidate.size) &&
    candidate.size >= 0
  );
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value) || !value.every(isDescriptor)) {
    throw new RegistryError(STEP, `${where}: expected a list of descriptors with mediaType, sha256 digest and size`);
  }
  return value;
}

/** The child manifests and blobs `bytes` (an image manifest or index) refer to; throws a RegistryError when it is neither. */
export function manifestReferences(bytes: Uint8Array, where: string): ManifestReferences {
  let json: { mediaType?: unknown; manifests?: unknown; config?: unknown; layers?: unknown };
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8")) as typeof json;
  } catch {
    throw new RegistryError(STEP, `${where} is not JSON`);
  }
  const mediaType = typeof json.mediaType === "string" ? json.mediaType : null;
  if (json.manifests !== undefined) return { manifests: descriptors(json.manifests, where), blobs: [], mediaType };
  if (!isDescriptor(json.config))
    throw new RegistryError(STEP, `${where}: neither an image index nor a manifest with a config`);
  return { manifests: [], blobs: [json.config, ...descriptors(json.layers ?? [], where)], mediaType };
}

/** The descriptors of index.json in layout `dir`; throws a RegistryError when `dir` is not an OCI layout. */
export function readIndex(dir: string): Descriptor[] {
  if (!existsSync(join(dir, "oci-layout")))
    throw new RegistryError(STEP, `${dir} is not an OCI image layout (no oci-layout file)`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(dir, "index.json"));
  } catch {
    throw new RegistryError(STEP, `${dir}/index.json cannot be read`);
  }
  return manifestReferences(bytes, `${dir}/index.json`).manifests;
}

/** The bytes of blob `descriptor` in layout `dir`, checked against its digest and size. */
export function readBlob(dir: string, descriptor: Descriptor): Uint8Array {
  const path = join(dir, "blobs", "sha256", digestHex(descriptor.digest) ?? "");
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new RegistryError(STEP, `blob ${descriptor.digest} is missing from ${dir}`);
  }
  if (digestOf(bytes) !== descriptor.digest) throw new RegistryError(STEP, `${path} does not hash to its name`);
  if (bytes.length !== descriptor.size) {
    throw new RegistryError(STEP, `${path} has ${bytes.length} bytes, its descriptor says ${descriptor.size}`);
  }
  return bytes;
}

/** Stores `bytes` in layout `dir` (created when missing) under its digest. */
export function writeBlob(dir: string, bytes: Uint8Array): void {
  const blobs = join(dir, "blobs", "sha256");
  mkdirSync(blobs, { recursive: true });
  if (!existsSync(join(dir, "oci-layout"))) {
    writeFileSync(join(dir, "oci-layout"), `${JSON.stringify({ imageLayoutVersion: "1.0.0" })}\n`);
  }
  writeFileSync(join(blobs, digestHex(digestOf(bytes))!), bytes);
}

/** Adds `descriptor` to index.json of layout `dir`, replacing an entry with the same tag or digest. */
export function addToIndex(dir: string, descriptor: Descriptor): void {
  const existing = existsSync(join(dir, "index.json")) ? readIndex(dir) : [];
  const tag = descriptor.annotations?.[REF_NAME];
  const kept = existing.filter((entry) =>
    tag === undefined ? entry.digest !== descriptor.digest : entry.annotations?.[REF_NAME] !== tag,
  );
  const index = { schemaVersion: 2, mediaType: INDEX_MEDIA_TYPE, manifests: [...kept, descriptor] };
  writeFileSync(join(dir, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
}

/** The index.json entry to push: the only one, or the one tagged `tag`; throws a RegistryError otherwise. */
export function selectManifest(dir: string, tag: string | null): Descriptor {
  const entries = readIndex(dir);
  if (entries.length === 1) return entries[0]!;
  const named = entries.filter((entry) => tag !== null && entry.annotations?.[REF_NAME] === tag);
  if (named.length === 1) return named[0]!;
  const names = entries.map((entry) => entry.annotations?.[REF_NAME] ?? entry.digest).join(", ");
  throw new RegistryError(
    STEP,
    `${dir}/index.json lists ${entries.length} manifests (${names || "none"}); name one with the tag`,
  );
}

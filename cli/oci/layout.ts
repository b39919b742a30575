// Writes and reads an OCI image layout directory (opencontainers/image-spec image-layout.md):
// an `oci-layout` marker, `index.json` naming each manifest by its ref name, and every blob under
// `blobs/sha256/<hex>`. Reading checks every referenced blob's size and digest.

import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { digestHex, digestOf } from "./digest.js";
import { INDEX_MEDIA_TYPE, MANIFEST_MEDIA_TYPE, REF_NAME_ANNOTATION } from "./media-types.js";

/** A content descriptor: what a blob is, its digest and its size in bytes. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** An OCI image manifest. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** An OCI image index, the shape of index.json. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/** An image as bytes: its serialised manifest and every blob the manifest references. */
export interface ImageBlobs {
  /** The exact manifest bytes; their sha256 is the image's digest. */
  manifestBytes: Buffer;
  /** Config and layer blobs. */
  blobs: Uint8Array[];
}

/** An image found in a layout directory, checked against its digests. */
export interface Layout {
  /** The layout directory. */
  dir: string;
  /** The parsed index.json. */
  index: ImageIndex;
  /** The index.json descriptor of the chosen manifest (its digest is the image digest). */
  manifestDescriptor: Descriptor;
  /** The parsed image manifest. */
  manifest: ImageManifest;
  /** The manifest exactly as stored, to push or hash. */
  manifestBytes: Buffer;
  /** The file holding the blob with `digest`. */
  blobPath(digest: string): string;
}

/** A layout that is missing, malformed or fails a digest check. */
export class LayoutError extends Error {
  override name = "LayoutError";
}

const LAYOUT_MARKER = JSON.stringify({ imageLayoutVersion: "1.0.0" });

function blobPathIn(dir: string, digest: string): string {
  const hex = digestHex(digest);
  if (hex === null) throw new LayoutError(`${dir}: unsupported digest "${digest}" (expected sha256:<64 hex>)`);
  return join(dir, "blobs", "sha256", hex);
}

/** Makes `dir` an empty layout: creates it, or clears a previous layout there; refuses any other non-empty directory. */
async function prepare(dir: string): Promise<void> {
  const entries = existsSync(dir) ? await readdir(dir) : [];
  if (entries.length > 0 && !entries.includes("oci-layout")) {
    throw new LayoutError(`${dir} is not empty and not an OCI image layout; choose another --out`);
  }
  for (const name of ["oci-layout", "index.json", "blobs"]) await rm(join(dir, name), { recursive: true, force: true });
  await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
}

/** Writes `image` as the only image of the layout `dir` (replacing a layout already there), tagged `ref`; returns its index descriptor. */
export async function writeLayout(dir: string, image: ImageBlobs, ref: string): Promise<Descriptor> {
  await prepare(dir);
  for (const blob of [...image.blobs, image.manifestBytes]) await writeFile(blobPathIn(dir, digestOf(blob)), blob);
  const descriptor: Descriptor = {
    mediaType: MANIFEST_MEDIA_TYPE,
    digest: digestOf(image.manifestBytes),
    size: image.manifestBytes.length,
    annotations: { [REF_NAME_ANNOTATION]: ref },
  };
  const index: ImageIndex = { schemaVersion: 2, mediaType: INDEX_MEDIA_TYPE, manifests: [descriptor] };
  await writeFile(join(dir, "index.json"), JSON.stringify(index));
  await writeFile(join(dir, "oci-layout"), LAYOUT_MARKER);
  return descriptor;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new LayoutError(`${where}: not JSON`);
  }
}

/** Reads a JSON object; anything else (missing file, bad JSON, an array or a scalar) is a LayoutError. */
async function readJson(path: string, what: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === null) throw new LayoutError(`${path}: missing (${what})`);
  const value = parseJson(text, path);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new LayoutError(`${path}: not a JSON object`);
  return value as Record<string, unknown>;
}

/** Reads the blob `descriptor` names and checks its size and digest. */
async function readBlob(dir: string, descriptor: Descriptor): Promise<Buffer> {
  const path = blobPathIn(dir, descriptor.digest);
  const bytes = await readFile(path).catch(() => null);
  if (bytes === null) throw new LayoutError(`${dir}: blob ${descriptor.digest} is missing`);
  if (bytes.length !== descriptor.size) {
    throw new LayoutError(
      `${dir}: blob ${descriptor.digest} has ${bytes.length} bytes, its descriptor says ${descriptor.size}`,
    );
  }
  if (digestOf(bytes) !== descriptor.digest) {
    throw new LayoutError(`${dir}: blob ${descriptor.digest} does not match its digest (${digestOf(bytes)})`);
  }
  return bytes;
}

function chooseManifest(dir: string, index: ImageIndex, ref: string | undefined): Descriptor {
  const refs = index.manifests.map((entry) => entry.annotations?.[REF_NAME_ANNOTATION] ?? "(untagged)");
  const found = ref === undefined ? index.manifests : index.manifests.filter((_, i) => refs[i] === ref);
  if (found.length === 1) return found[0]!;
  const wanted = ref === undefined ? "one image" : `an image tagged "${ref}"`;
  throw new LayoutError(`${dir}: expected ${wanted}, index.json has ${refs.length === 0 ? "none" : refs.join(", ")}`);
}

function isDescriptor(value: unknown): value is Descriptor {
  const d = value as Descriptor;
  return (
    typeof d === "object" &&
    d !== null &&
    typeof d.mediaType === "string" &&
    typeof d.digest === "string" &&
    Number.isSafeInteger(d.size)
  );
}

/** Reads the image tagged `ref` (or the only image) from the layout `dir`, checking the digest and size of the manifest, config and layers. */
export async function readLayout(dir: string, ref?: string): Promise<Layout> {
  const marker = await readJson(join(dir, "oci-layout"), "OCI layout marker");
  if (marker.imageLayoutVersion !== "1.0.0") throw new LayoutError(`${dir}: unsupported imageLayoutVersion`);
  const index = (await readJson(join(dir, "index.json"), "image index")) as unknown as ImageIndex;
  if (index.schemaVersion !== 2 || !Array.isArray(index.manifests) || !index.manifests.every(isDescriptor)) {
    throw new LayoutError(`${dir}/index.json: not an OCI image index`);
  }
  const manifestDescriptor = chooseManifest(dir, index, ref);
  if (manifestDescriptor.mediaType !== MANIFEST_MEDIA_TYPE) {
    throw new LayoutError(
      `${dir}: ${manifestDescriptor.digest} is ${manifestDescriptor.mediaType}, not an OCI image manifest`,
    );
  }
  const manifestBytes = await readBlob(dir, manifestDescriptor);
  const where = `${dir}: manifest ${manifestDescriptor.digest}`;
  const manifest = parseJson(manifestBytes.toString("utf8"), where) as ImageManifest | null;
  if (
    manifest?.schemaVersion !== 2 ||
    (manifest.mediaType ?? MANIFEST_MEDIA_TYPE) !== MANIFEST_MEDIA_TYPE ||
    !isDescriptor(manifest.config) ||
    !Array.isArray(manifest.layers) ||
    !manifest.layers.every(isDescriptor)
  ) {
    throw new LayoutError(`${where} is not an OCI image manifest`);
  }
  for (const blob of [manifest.config, ...manifest.layers]) await readBlob(dir, blob);
  return { dir, index, manifestDescriptor, manifest, manifestBytes, blobPath: (digest) => blobPathIn(dir, digest) };
}

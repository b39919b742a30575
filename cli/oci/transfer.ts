// Push of an OCI image layout to a registry, and pull of an image into a layout or a .wasm file.
// Order follows the distribution spec: blobs first (HEAD to skip what exists), child manifests by
// digest, and the tag last, so a push that fails midway never leaves the tag on an incomplete image.

import { writeFileSync } from "node:fs";
import { sha256Hex } from "./digest.js";
import type { Descriptor } from "./layout.js";
import { addToIndex, manifestReferences, readBlob, selectManifest, writeBlob } from "./layout-store.js";
import { REF_NAME_ANNOTATION } from "./media-types.js";
import { type ImageReference } from "./reference.js";
import { type RegistryClient } from "./registry.js";
import { RegistryError, shortDigest } from "./registry-error.js";
import { wasmFromLayers } from "./wasm-layer.js";

/** What a push or pull did. */
export interface TransferResult {
  /** The top manifest's digest: what Istio's WasmPlugin `sha256` means for oci:// URLs. */
  manifestDigest: string;
  /** The sha256 hex of the image's Wasm module (for http(s):// URLs), or null when it holds none. */
  wasmSha256: string | null;
  /** Blobs and manifests sent (push) or fetched (pull). */
  transferred: number;
  /** Blobs and manifests the registry already held (push only). */
  present: number;
  /** The tag (or digest, when no tag applies) the image was pushed as or pulled from. */
  reference: string;
}

function line(kind: string, digest: string, size: number, what: string): string {
  return `  ${kind.padEnd(8)} ${shortDigest(digest)}  ${String(size).padStart(9)} bytes  ${what}`;
}

/** Pushes the image of layout `dir` (its only manifest, or the one tagged like `ref`) to `ref`; `progress` gets one line per blob. */
export async function pushLayout(
  dir: string,
  ref: ImageReference,
  client: RegistryClient,
  progress: (text: string) => void,
): Promise<TransferResult> {
  const top = selectManifest(dir, ref.tag);
  if (ref.digest !== null && ref.digest !== top.digest) {
    throw new RegistryError("read layout", `${dir} holds ${top.digest}, not the pinned ${ref.digest}`);
  }
  // Without a tag in REF, the layout's own tag names the image (as `package` writes it).
  const reference = ref.tag ?? ref.digest ?? top.annotations?.[REF_NAME_ANNOTATION] ?? "latest";
  const result: TransferResult = {
    manifestDigest: top.digest,
    wasmSha256: null,
    transferred: 0,
    present: 0,
    reference,
  };
  const seen = new Set<string>();
  const pushManifest = async (descriptor: Descriptor, target: string): Promise<void> => {
    const bytes = readBlob(dir, descriptor);
    const references = manifestReferences(bytes, `manifest ${descriptor.digest}`);
    for (const child of references.manifests) await pushManifest(child, child.digest);
    for (const blob of references.blobs) {
      if (seen.has(blob.digest)) continue;
      seen.add(blob.digest);
      if (await client.hasBlob(blob.digest)) {
        result.present++;
        progress(line("blob", blob.digest, blob.size, "already present"));
      } else {
        await client.uploadBlob(blob.digest, readBlob(dir, blob));
        result.transferred++;
        progress(line("blob", blob.digest, blob.size, "uploaded"));
      }
    }
    const layers = references.blobs.slice(1);
    if (result.wasmSha256 === null && layers.length > 0) {
      const wasm = wasmFromLayers(layers, (layer) => readBlob(dir, layer));
      if (wasm !== null) result.wasmSha256 = sha256Hex(wasm);
    }
    const as = target === descriptor.digest ? "by digest" : `as tag ${target}`;
    if ((await client.manifestDigest(target)) === descriptor.digest) {
      result.present++;
      progress(line("manifest", descriptor.digest, descriptor.size, `already present ${as}`));
      return;
    }
    await client.putManifest(target, bytes, references.mediaType ?? descriptor.mediaType);
    result.transferred++;
    progress(line("manifest", descriptor.digest, descriptor.size, `pushed ${as}`));
  };
  await pushManifest(top, reference);
  return result;
}

/** Where a pull writes: an OCI layout directory, a .wasm file, or both. */
export interface PullTargets {
  layoutDir: string | null;
  wasmOut: string | null;
}

/** Pulls `ref`, verifying every digest and size, into `targets`; `progress` gets one line per blob. */
export async function pullImage(
  ref: ImageReference,
  client: RegistryClient,
  targets: PullTargets,
  progress: (text: string) => void,
): Promise<TransferResult> {
  const reference = ref.digest ?? ref.tag ?? "latest";
  const top = await client.getManifest(reference);
  const result: TransferResult = {
    manifestDigest: top.digest,
    wasmSha256: null,
    transferred: 0,
    present: 0,
    reference,
  };
  const blobs = new Map<string, Uint8Array>();
  const found: { wasm: Uint8Array | null } = { wasm: null };
  const pullManifest = async (bytes: Uint8Array, digest: string): Promise<void> => {
    const references = manifestReferences(bytes, `manifest ${digest}`);
    if (targets.layoutDir !== null) writeBlob(targets.layoutDir, bytes);
    result.transferred++;
    progress(line("manifest", digest, bytes.length, "verified"));
    for (const child of references.manifests) {
      const fetched = await client.getManifest(child.digest);
      if (fetched.bytes.length !== child.size) {
        throw new RegistryError(
          `get manifest ${shortDigest(child.digest)}`,
          `size mismatch: expected ${child.size} bytes`,
        );
      }
      await pullManifest(fetched.bytes, child.digest);
    }
    for (const blob of references.blobs) {
      if (blobs.has(blob.digest)) continue;
      const data = await client.getBlob(blob.digest, blob.size);
      blobs.set(blob.digest, data);
      if (targets.layoutDir !== null) writeBlob(targets.layoutDir, data);
      result.transferred++;
      progress(line("blob", blob.digest, blob.size, "downloaded, verified"));
    }
    const layers = references.blobs.slice(1);
    if (found.wasm === null && layers.length > 0)
      found.wasm = wasmFromLayers(layers, (layer) => blobs.get(layer.digest)!);
  };
  await pullManifest(top.bytes, top.digest);
  const module = found.wasm;
  if (module !== null) result.wasmSha256 = sha256Hex(module);
  if (targets.layoutDir !== null) {
    const annotations = ref.tag === null ? undefined : { [REF_NAME_ANNOTATION]: ref.tag };
    addToIndex(targets.layoutDir, {
      mediaType: top.mediaType,
      digest: top.digest,
      size: top.bytes.length,
      annotations,
    });
  }
  if (targets.wasmOut !== null) {
    if (module === null) throw new RegistryError("write module", "the image holds no plugin.wasm or Wasm layer");
    if (!Buffer.from(module.subarray(0, 4)).equals(Buffer.from([0, 0x61, 0x73, 0x6d]))) {
      throw new RegistryError("write module", "the image's plugin.wasm does not start with the Wasm magic \\0asm");
    }
    writeFileSync(targets.wasmOut, module);
  }
  return result;
}

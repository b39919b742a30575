// Finds the Wasm module inside an image the way Istio's fetcher does (istio/istio
// pkg/wasm/imagefetcher.go): a raw module layer (Solo "oci" variant or application/wasm), else the
// last tar(+gzip) layer's first regular file whose basename is plugin.wasm.

import { gunzipSync } from "node:zlib";
import type { Descriptor } from "./layout.js";
import { readTar } from "./tar.js";
import { PLUGIN_FILE } from "./wasm-image.js";

/** Layer media types whose blob is the raw module. */
export const RAW_WASM_LAYER_TYPES = ["application/vnd.module.wasm.content.layer.v1+wasm", "application/wasm"];

/** The Wasm module of the image whose `layers` are given, reading blobs with `blob`; null when it holds none or the layer is corrupt. */
export function wasmFromLayers(layers: Descriptor[], blob: (layer: Descriptor) => Uint8Array): Uint8Array | null {
  const raw = layers.find((layer) => RAW_WASM_LAYER_TYPES.includes(layer.mediaType));
  if (raw !== undefined) return blob(raw);
  const last = layers[layers.length - 1];
  if (last === undefined || !last.mediaType.includes("tar")) return null;
  try {
    const bytes = blob(last);
    const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    const entry = readTar(tar).find((file) => file.type === "0" && file.name.split("/").pop() === PLUGIN_FILE);
    return entry?.data ?? null;
  } catch {
    return null;
  }
}

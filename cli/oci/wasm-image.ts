// Builds the "compat" OCI image for a proxy-wasm module: one tar+gzip layer holding `plugin.wasm`,
// the shape Istio's and Envoy Gateway's image fetchers accept (istio/istio pkg/wasm/imagefetcher.go;
// solo-io/wasm spec/spec-compat.md). Nothing time- or machine-dependent goes in, so equal inputs
// give equal digests.

import { digestOf } from "./digest.js";
import { gzipReproducible } from "./gzip.js";
import type { Descriptor, ImageBlobs, ImageManifest } from "./layout.js";
import { CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE, WASM_VARIANT_ANNOTATION } from "./media-types.js";
import { writeTar } from "./tar.js";

/** The file name Istio and Envoy Gateway look for in the image's last layer. */
export const PLUGIN_FILE = "plugin.wasm";

/** A built image: its blobs and manifest (bytes and parsed) ready for a layout or a registry. */
export interface WasmImage extends ImageBlobs {
  /** The parsed manifest. */
  manifest: ImageManifest;
  /** The manifest digest, i.e. the image digest. */
  digest: string;
}

function describe(mediaType: string, bytes: Uint8Array): Descriptor {
  return { mediaType, digest: digestOf(bytes), size: bytes.length };
}

/** The compat image of `wasm`, with `annotations` (plus the compat variant marker) on its manifest. */
export function buildWasmImage(wasm: Uint8Array, annotations: Record<string, string>): WasmImage {
  const tar = writeTar([{ name: PLUGIN_FILE, data: wasm }]);
  const layer = gzipReproducible(tar);
  // image-spec config.md requires architecture, os and rootfs; diff_ids hash the uncompressed tar.
  // The values are those of a `FROM scratch` image built on amd64, the form Istio's examples ship.
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: [digestOf(tar)] },
    }),
  );
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MANIFEST_MEDIA_TYPE,
    config: describe(CONFIG_MEDIA_TYPE, config),
    layers: [describe(LAYER_MEDIA_TYPE, layer)],
    annotations: { [WASM_VARIANT_ANNOTATION]: "compat", ...annotations },
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  return { manifest, manifestBytes, blobs: [config, layer], digest: digestOf(manifestBytes) };
}

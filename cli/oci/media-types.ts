// OCI media types and annotation keys used by our images (opencontainers/image-spec media-types.md
// and annotations.md), plus the compat-variant marker from solo-io/wasm spec/spec-compat.md.

/** Media type of an OCI image index (index.json). */
export const INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
/** Media type of an OCI image manifest. */
export const MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
/** Media type of an OCI image configuration. */
export const CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
/** Media type of a gzip-compressed tar layer, the one Istio and Envoy Gateway accept for OCI images. */
export const LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

/** The tag of a manifest inside an image layout's index.json. */
export const REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
/** Annotation naming the Wasm image variant; "compat" is a plain image with plugin.wasm in a tar layer. */
export const WASM_VARIANT_ANNOTATION = "module.wasm.image/variant";
/** Our annotation holding the digest of the filter's config.schema.json. */
export const CONFIG_SCHEMA_DIGEST_ANNOTATION = "dev.envoy-as.config-schema.digest";

// Image references as `envoy-as push` and `pull` take them: HOST[:PORT]/NAME[:TAG][@sha256:HEX].
// Name and tag grammar from the OCI distribution spec (opencontainers/distribution-spec spec.md);
// the registry host is always explicit (no Docker Hub default), and plain HTTP is only chosen for
// loopback hosts unless the caller insists, like go-containerregistry's Scheme() does for localhost.

/** A parsed image reference. */
export interface ImageReference {
  /** The registry host with its port, as written (e.g. "127.0.0.1:5000", "[::1]:5000", "ghcr.io"). */
  registry: string;
  /** The repository name inside the registry (e.g. "filters/jwt-authn"). */
  repository: string;
  /** The tag, or null when none was written. */
  tag: string | null;
  /** The pinned manifest digest ("sha256:<hex>"), or null when none was written. */
  digest: string | null;
}

const NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?)(?::[0-9]{1,5})?$/;

/** Parses `text` as HOST[:PORT]/NAME[:TAG][@sha256:HEX]; returns a one-line reason when it is not one. */
export function parseReference(text: string): ImageReference | string {
  const at = text.lastIndexOf("@");
  const digest = at >= 0 ? text.slice(at + 1) : null;
  const rest = at >= 0 ? text.slice(0, at) : text;
  if (digest !== null && !DIGEST.test(digest)) return `"${text}": the digest must be sha256:<64 lowercase hex>`;
  const slash = rest.indexOf("/");
  const registry = slash >= 0 ? rest.slice(0, slash) : "";
  if (!HOST.test(registry) || !(registry.includes(".") || registry.includes(":") || registry === "localhost")) {
    return `"${text}": start the reference with the registry host, e.g. ghcr.io/org/filter:v1 or 127.0.0.1:5000/filter:v1`;
  }
  const path = rest.slice(slash + 1);
  const colon = path.lastIndexOf(":");
  const repository = colon > path.lastIndexOf("/") ? path.slice(0, colon) : path;
  const tag = colon > path.lastIndexOf("/") ? path.slice(colon + 1) : null;
  if (!NAME.test(repository))
    return `"${text}": "${repository}" is not a valid repository name (lowercase a-z, 0-9, . _ - /)`;
  if (tag !== null && !TAG.test(tag)) return `"${text}": "${tag}" is not a valid tag`;
  return { registry, repository, tag, digest };
}

/** Formats `ref` back into HOST/NAME[:TAG][@DIGEST]. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === null ? "" : `:${ref.tag}`;
  const digest = ref.digest === null ? "" : `@${ref.digest}`;
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** Whether `registry` (host with optional port) names this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith("[") ? registry.slice(1, registry.indexOf("]")) : registry.split(":")[0]!;
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The URL origin to talk to `registry`: https, or http for loopback hosts or when `plainHttp` is set. */
export function registryOrigin(registry: string, plainHttp: boolean): string {
  const scheme = plainHttp || isLoopbackRegistry(registry) ? "http" : "https";
  return `${scheme}://${registry}`;
}

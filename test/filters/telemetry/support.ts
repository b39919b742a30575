// Shared helpers for the telemetry tests: the Istio label tags Envoy needs, node and peer metadata
// encoded as Envoy and Istio send them (protobuf Node / Struct, base64), and one request.

import { Buffer } from "node:buffer";
import { type Metadata, nodeBytes, structBytes } from "../../../cli/dev/node.js";
import { type AttributeOverrides, HostEnvironment, type HttpStream, Plugin, labelTag } from "../../../harness/index.js";

export const builds = ["build/telemetry.wasm", "build/telemetry.debug.wasm"];

/** Istio's standard labels, in order (filters.md 4.1). */
export const STANDARD_LABELS = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_cluster",
  "request_protocol",
  "response_flags",
  "connection_security_policy",
  "response_code",
  "grpc_response_status",
];

type Meta = Metadata;

export { nodeBytes };

/** The `x-envoy-peer-metadata` value for node metadata `meta`. */
export function peerHeader(meta: Meta): string {
  return Buffer.from(structBytes(meta)).toString("base64");
}

/** Istio node metadata for workload `name` in `namespace`. */
export function istioNode(name: string, namespace: string, app: string, version: string, cluster = "Kubernetes"): Meta {
  return {
    NAME: `${name}-7d9f-abc`,
    NAMESPACE: namespace,
    WORKLOAD_NAME: name,
    CLUSTER_ID: cluster,
    LABELS: { app, version },
  };
}

/** Loads the filter with every standard label (and `extraTags`) extracted, as an Istio bootstrap does; `trace` records host calls. */
export function load(
  wasm: string,
  configuration: object,
  options: { extraTags?: string[]; clusters?: string[]; trace?: boolean } = {},
): Promise<Plugin> {
  const environment = new HostEnvironment({
    statsTags: [...STANDARD_LABELS, "metric", ...(options.extraTags ?? [])].map(labelTag),
    clusters: options.clusters ?? [],
  });
  return Plugin.load(wasm, { rootId: "telemetry", configuration, environment, trace: options.trace ?? false });
}

/** One request and its response. */
export type Exchange = {
  method?: string;
  path?: string;
  host?: string;
  headers?: [string, string][];
  status?: number;
  responseHeaders?: [string, string][];
  attributes?: AttributeOverrides;
};

/** Runs one exchange to completion (on_log included). */
export function exchange(plugin: Plugin, x: Exchange = {}): HttpStream {
  const status = x.status ?? 200;
  const attributes = { "response.code": status, ...(x.attributes ?? {}) };
  const stream = plugin.newHttpStream(0, { attributes });
  stream.sendRequestHeaders(
    [
      [":method", x.method ?? "GET"],
      [":path", x.path ?? "/"],
      [":authority", x.host ?? "reviews.shop.svc.cluster.local:9080"],
      [":scheme", "http"],
      ...(x.headers ?? []),
    ],
    true,
  );
  stream.sendResponseHeaders([[":status", String(status)], ...(x.responseHeaders ?? [])], true);
  return stream;
}

/** The Prometheus samples of `text` keyed `name{labels}`, for series comparisons. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

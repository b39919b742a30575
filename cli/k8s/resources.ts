// Builds the resources that load an envoy-as filter from an OCI image: Istio WasmPlugin and
// TrafficExtension (extensions.istio.io/v1alpha1, distribution.md 1.2 and 1.4) and Envoy Gateway
// EnvoyExtensionPolicy (gateway.envoyproxy.io/v1alpha1, distribution.md 6.1).

import { placementFor } from "./placement.js";

/** What the generated resources say about one filter. */
export interface PluginOptions {
  /** Filter name: resource name, plugin root_id and the key of its placement. */
  filter: string;
  /** Namespace of the resources. */
  namespace: string;
  /** Image reference without a scheme, e.g. "ghcr.io/acme/jwt-authn:1.0.0". */
  image: string;
  /** Hex manifest digest pinning the image, or null. */
  sha256: string | null;
  /** The plugin's configuration, or undefined for none (the filter then reads `{}`). */
  pluginConfig?: unknown;
  /** Pod labels the plugin applies to; empty applies it to the whole namespace. */
  selector: Record<string, string>;
  /** Traffic the plugin applies to: CLIENT (outbound, gateways), SERVER (inbound) or both. */
  mode?: string;
  /** Ports the plugin applies to; empty means all. */
  ports: number[];
}

/** A Kubernetes object as plain data. */
export type Resource = Record<string, unknown>;

/** Always when the image can change under the same name (":latest" or no tag), else IfNotPresent. */
export function pullPolicy(options: PluginOptions): "Always" | "IfNotPresent" {
  if (options.sha256 !== null || options.image.includes("@")) return "IfNotPresent";
  const last = options.image.slice(options.image.lastIndexOf("/") + 1);
  return !last.includes(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
}

function metadata(options: PluginOptions): Resource {
  return { name: options.filter, namespace: options.namespace };
}

/** The selector/match/phase/priority part shared by WasmPlugin and TrafficExtension. */
function placementFields(options: PluginOptions): Resource {
  const placement = placementFor(options.filter);
  const fields: Resource = {};
  if (Object.keys(options.selector).length > 0) fields["selector"] = { matchLabels: options.selector };
  // An unspecified phase is left out: the two kinds spell it differently (UNSPECIFIED_PHASE, UNSPECIFIED).
  if (placement.phase !== "UNSPECIFIED_PHASE") fields["phase"] = placement.phase;
  if (placement.priority !== 0) fields["priority"] = placement.priority;
  if (options.mode !== undefined || options.ports.length > 0) {
    const match: Resource = {};
    if (options.mode !== undefined) match["mode"] = options.mode;
    if (options.ports.length > 0) match["ports"] = options.ports.map((number) => ({ number }));
    fields["match"] = [match];
  }
  return fields;
}

/** The module fields shared by WasmPlugin's spec and TrafficExtension's spec.wasm. */
function moduleFields(options: PluginOptions): Resource {
  const fields: Resource = { url: `oci://${options.image}` };
  if (options.sha256 !== null) fields["sha256"] = options.sha256;
  fields["imagePullPolicy"] = pullPolicy(options);
  fields["pluginName"] = options.filter;
  fields["failStrategy"] = placementFor(options.filter).failStrategy;
  if (options.pluginConfig !== undefined) fields["pluginConfig"] = options.pluginConfig;
  return fields;
}

/** An Istio WasmPlugin loading the filter from oci://image. */
export function wasmPlugin(options: PluginOptions): Resource {
  return {
    apiVersion: "extensions.istio.io/v1alpha1",
    kind: "WasmPlugin",
    metadata: metadata(options),
    spec: { ...placementFields(options), ...moduleFields(options) },
  };
}

/** The Istio 1.30+ TrafficExtension equivalent of `wasmPlugin`: the same placement, the module under `wasm`. */
export function trafficExtension(options: PluginOptions): Resource {
  return {
    apiVersion: "extensions.istio.io/v1alpha1",
    kind: "TrafficExtension",
    metadata: metadata(options),
    spec: { ...placementFields(options), wasm: moduleFields(options) },
  };
}

/** An Envoy Gateway EnvoyExtensionPolicy attaching the filter to the Gateway named `gateway`. */
export function envoyExtensionPolicy(options: PluginOptions, gateway: string): Resource {
  const image: Resource = { url: options.image };
  if (options.sha256 !== null) image["sha256"] = options.sha256;
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyExtensionPolicy",
    metadata: metadata(options),
    spec: {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway }],
      wasm: [
        {
          name: options.filter,
          rootID: options.filter,
          code: { type: "Image", image, pullPolicy: pullPolicy(options) },
          config: options.pluginConfig ?? {},
          failOpen: placementFor(options.filter).failStrategy === "FAIL_OPEN",
        },
      ],
    },
  };
}

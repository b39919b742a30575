// The plugin's configuration: Envoy's `configuration` (a StringValue is passed raw, a Struct as
// JSON text), Istio's `pluginConfig`.

import * as host from "./abi/hostcalls";
import { currentConfigurationSize } from "./dispatcher";
import { JsonLimits, parseJson } from "./json/parser";
import { JsonResult } from "./json/value";
import { BufferType } from "./types";

/** Returns the plugin configuration bytes; call it from onConfigure (elsewhere it is empty). */
export function pluginConfiguration(): ArrayBuffer {
  const size = currentConfigurationSize();
  if (size == 0) return new ArrayBuffer(0);
  const bytes = host.getBufferBytes(BufferType.PluginConfiguration, 0, size);
  return bytes == null ? new ArrayBuffer(0) : bytes;
}

/** Parses the plugin configuration as strict JSON; call it from onConfigure. Empty configuration reads as `{}`. */
export function pluginConfigurationJson(limits: JsonLimits = new JsonLimits()): JsonResult {
  const bytes = pluginConfiguration();
  return parseJson(bytes.byteLength == 0 ? String.UTF8.encode("{}") : bytes, limits);
}

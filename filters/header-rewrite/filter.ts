// Glue between the host and the parsed configuration: apply the operations to each header map.

import {
  FilterHeadersStatus,
  HeaderMap,
  HttpContext,
  RootContext,
  logError,
  pluginConfigurationJson,
  request,
  response,
} from "../../assembly";
import { Operation, OperationKind, RewriteConfig, parseConfig } from "./config";

/** The plugin: holds the configuration shared by every stream. */
export class HeaderRewriteRoot extends RootContext {
  config: RewriteConfig = new RewriteConfig();

  onConfigure(size: u32): bool {
    const json = pluginConfigurationJson();
    if (!json.ok) {
      logError("header-rewrite: invalid configuration: not JSON at byte " + json.offset.toString() + ": " + json.error);
      return false;
    }
    const parsed = parseConfig(json.value!);
    if (parsed.config == null) {
      logError("header-rewrite: invalid configuration: " + parsed.error);
      return false;
    }
    this.config = parsed.config!;
    return true;
  }

  newHttpContext(contextId: u32): HttpContext | null {
    return new HeaderRewriteStream(contextId, this.id, this.config);
  }
}

class HeaderRewriteStream extends HttpContext {
  constructor(
    id: u32,
    rootId: u32,
    private config: RewriteConfig,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    apply(request.headers, this.config.requestHeaders);
    return FilterHeadersStatus.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    apply(response.headers, this.config.responseHeaders);
    return FilterHeadersStatus.Continue;
  }
}

function apply(map: HeaderMap, operations: Array<Operation>): void {
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i];
    if (op.kind == OperationKind.Set) map.replace(op.name, op.value);
    else if (op.kind == OperationKind.Add) map.add(op.name, op.value);
    else map.remove(op.name);
  }
}

// The attributes of an HTTP stream as Envoy derives them (reference abi.md 7.1, 7.2): header-based
// ones read the same header pointers as the header-map calls (so they vanish once the headers were
// continued, and come back in on_log); stream-info ones (time, sizes, code) do not.

import { MapType } from "../abi/types.js";
import { type AttributeValue, connectionDefault, headerEntry, headersAttribute, mapEntry } from "./attributes.js";
import { type HeaderMap } from "./header-map.js";
import { type HttpFlow } from "./http-flow.js";
import { type HttpStreamState } from "./http-stream-state.js";

const str = (value: string | undefined): AttributeValue | undefined =>
  value === undefined ? undefined : { type: "string", value };
const int = (value: number): AttributeValue => ({ type: "int", value: BigInt(value) });

// request.* attributes that need the request headers.
function fromRequestHeaders(headers: HeaderMap, field: string): AttributeValue | undefined {
  switch (field) {
    case "path":
      return str(headers.get(":path"));
    case "url_path":
      return str(headers.get(":path")?.split("?")[0]);
    case "query": {
      const path = headers.get(":path");
      return path === undefined ? undefined : str(path.includes("?") ? path.split("?")[1]!.split("#")[0] : "");
    }
    case "host":
      return str(headers.get(":authority"));
    case "scheme":
      return str(headers.get(":scheme"));
    case "method":
      return str(headers.get(":method"));
    case "referer":
      return str(headers.get("referer"));
    case "useragent":
      return str(headers.get("user-agent"));
    case "id":
      return str(headers.get("x-request-id"));
    case "headers":
      return headersAttribute(headers.all());
    default:
      return undefined;
  }
}

/** Attribute `name` of `stream` as Envoy would answer it now, or undefined when absent. */
export function httpAttribute(
  stream: HttpStreamState,
  name: string,
  flows: { request: HttpFlow; response: HttpFlow },
): AttributeValue | undefined {
  const dot = name.indexOf(".");
  const top = dot < 0 ? name : name.slice(0, dot);
  const field = dot < 0 ? "" : name.slice(dot + 1);
  const { request, response } = flows;
  if (top === "request") {
    switch (field) {
      case "time":
        return { type: "timestamp", value: stream.startTime };
      case "protocol":
        return str("HTTP/1.1");
      case "duration":
        return stream.endTime === null ? undefined : { type: "duration", value: stream.endTime - stream.startTime };
      case "size": {
        const length = request.headers?.get("content-length");
        if (length === undefined) return int(request.bytesReceived);
        return /^\d+$/.test(length) ? int(Number(length)) : undefined;
      }
      case "total_size":
        return int(request.bytesReceived + (request.headers?.byteSize() ?? 0) + (request.trailers?.byteSize() ?? 0));
    }
    const headers = stream.map(MapType.HttpRequestHeaders, "read");
    return headers === "unavailable" ? undefined : fromRequestHeaders(headers, field);
  }
  if (top === "response") {
    const status = response.headers?.get(":status");
    switch (field) {
      case "code":
        // Envoy's codec refuses a status that is not a number; a test may still send one.
        return status === undefined || !/^\d+$/.test(status) ? undefined : int(Number(status));
      case "code_details":
        return str(stream.localReply?.details ?? stream.resetDetails ?? (status ? "via_upstream" : undefined));
      case "flags":
        return int(0);
      case "grpc_status": {
        const grpc = response.trailers?.get("grpc-status") ?? response.headers?.get("grpc-status");
        return grpc === undefined || !/^\d+$/.test(grpc) ? undefined : int(Number(grpc));
      }
      case "size":
        return int(response.delivered.body.length);
      case "total_size":
        return int(
          response.delivered.body.length + (response.headers?.byteSize() ?? 0) + (response.trailers?.byteSize() ?? 0),
        );
      case "headers":
      case "trailers": {
        const map = headerMapOf(stream, name)!;
        return map === "unavailable" ? undefined : headersAttribute(map.all());
      }
      default:
        return undefined;
    }
  }
  // upstream.* describe the host the router picks once the request headers left the filter chain.
  if (top === "upstream" && !request.delivered.headers) return undefined;
  return connectionDefault(stream.id, name);
}

/**
 * Entry `key` of map attribute `name` of `stream`: a header straight from its header map, an entry
 * of any other map attribute from the whole attribute.
 */
export function httpAttributeEntry(
  stream: HttpStreamState,
  name: string,
  key: string,
  flows: { request: HttpFlow; response: HttpFlow },
): AttributeValue | undefined {
  const headers = headerMapOf(stream, name);
  if (headers === null) return mapEntry(httpAttribute(stream, name, flows), key);
  return headers === "unavailable" ? undefined : headerEntry(headers, key);
}

// The header map behind attribute `name` (request.headers, response.headers, response.trailers),
// "unavailable" outside its window, or null for any other attribute.
function headerMapOf(stream: HttpStreamState, name: string): HeaderMap | "unavailable" | null {
  switch (name) {
    case "request.headers":
      return stream.map(MapType.HttpRequestHeaders, "read");
    case "response.headers":
      return stream.map(MapType.HttpResponseHeaders, "read");
    case "response.trailers":
      return stream.map(MapType.HttpResponseTrailers, "read");
    default:
      return null;
  }
}

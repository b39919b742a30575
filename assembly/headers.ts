// Header and trailer maps and bodies of the current stream. Envoy lowercases names and keeps pseudo-headers
// first. A map is readable only in its callback (and while the stream is paused there): request
// headers vanish once onRequestHeaders returns Continue, so copy what later phases need.

import * as host from "./abi/hostcalls";
import { Body } from "./body";
import { Header } from "./header";
import { HeaderSnapshot } from "./header-snapshot";
import { BufferType, MapType, Status } from "./types";

/** One header map of the current stream, addressed by its ABI map type. */
export class HeaderMap {
  constructor(
    /** Which map host calls address. */
    public readonly type: MapType,
  ) {}

  /** Returns the first value of `name`: null when absent or not readable now, "" when present and empty. */
  get(name: string): string | null {
    return host.getHeaderMapValue(this.type, name);
  }

  /** Returns the first value of `name` as raw bytes (values need not be UTF-8), or null when absent. */
  getBytes(name: string): ArrayBuffer | null {
    return host.getHeaderMapValueBytes(this.type, name);
  }

  /** Returns true when `name` has a value (possibly empty). */
  has(name: string): bool {
    return host.getHeaderMapValue(this.type, name) != null;
  }

  /** Returns every entry in the host's order; repeated names appear once per value; empty when not readable now. */
  getAll(): Array<Header> {
    return host.getHeaderMapPairs(this.type);
  }

  /** Does what getAll does into `entries` (emptied first) and returns it, for a filter that reuses one list. */
  getAllInto(entries: Array<Header>): Array<Header> {
    return host.getHeaderMapPairs(this.type, entries);
  }

  /** Adds a value for `name`, keeping existing ones; BadArgument when the map is not writable now. */
  add(name: string, value: string): Status {
    return host.addHeaderMapValue(this.type, name, value);
  }

  /** Adds raw bytes `value` for `name` (values need not be UTF-8); BadArgument when not writable now. */
  addBytes(name: string, value: ArrayBuffer): Status {
    return host.addHeaderMapValueBytes(this.type, name, value);
  }

  /** Makes `value` the only value of `name`, adding it when absent; BadArgument when not writable now. */
  replace(name: string, value: string): Status {
    return host.replaceHeaderMapValue(this.type, name, value);
  }

  /** Makes raw bytes `value` the only value of `name`; BadArgument when not writable now. */
  replaceBytes(name: string, value: ArrayBuffer): Status {
    return host.replaceHeaderMapValueBytes(this.type, name, value);
  }

  /**
   * Returns the map's byte size as Envoy counts it (every name and value), or -1 when the map is not
   * available now. For trailers in the body callback that ends the stream, asking creates them.
   */
  byteSize(): i64 {
    return host.getHeaderMapSize(this.type);
  }

  /** Removes every value of `name` (Ok when absent); BadArgument when not writable now. */
  remove(name: string): Status {
    return host.removeHeaderMapValue(this.type, name);
  }

  /**
   * Copies every entry now, for later phases (request headers are gone once onRequestHeaders returns
   * Continue); the snapshot is empty when the map is not readable now.
   */
  snapshot(): HeaderSnapshot {
    return new HeaderSnapshot(host.getHeaderMapPairs(this.type));
  }

  /** Replaces the whole map with `headers`; BadArgument when not writable now. */
  replaceAll(headers: Array<Header>): Status {
    return host.setHeaderMapPairs(this.type, headers);
  }
}

/** The downstream request of the current HTTP stream. */
export namespace request {
  /** Request headers: readable and writable in onRequestHeaders (and while paused there); readable in onLog. */
  export const headers = new HeaderMap(MapType.HttpRequestHeaders);
  /**
   * Request trailers: available in onRequestTrailers (and while paused there); in the onRequestBody
   * call that ends the request, the first change (or byteSize) creates them.
   */
  export const trailers = new HeaderMap(MapType.HttpRequestTrailers);
  /** Request body: the current chunk in onRequestBody, or the whole body after StopIterationAndBuffer. */
  export const body = new Body(BufferType.HttpRequestBody);
}

/** The response of the current HTTP stream. */
export namespace response {
  /** Response headers: readable and writable in onResponseHeaders (and while paused there); readable in onLog. */
  export const headers = new HeaderMap(MapType.HttpResponseHeaders);
  /**
   * Response trailers: available in onResponseTrailers (and while paused there); in the
   * onResponseBody call that ends the response, the first change (or byteSize) creates them.
   */
  export const trailers = new HeaderMap(MapType.HttpResponseTrailers);
  /** Response body: the current chunk in onResponseBody, or the whole body after StopIterationAndBuffer. */
  export const body = new Body(BufferType.HttpResponseBody);
}

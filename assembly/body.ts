// Byte buffers of the current stream: HTTP bodies (in onRequestBody / onResponseBody) and TCP data
// (in onDownstreamData / onUpstreamData, and while that direction is paused). Envoy only lets a
// filter replace the whole buffer, drop a prefix, prepend or append (reference abi.md 3.3).

import * as host from "./abi/hostcalls";
import { sendLocalResponse } from "./stream";
import { BufferType, FilterDataStatus, Status } from "./types";

/** One byte buffer of the current stream, addressed by its ABI buffer type. */
export class Body {
  constructor(
    /** Which buffer host calls address. */
    public readonly type: BufferType,
  ) {}

  /** Returns the number of bytes available now; 0 outside the buffer's callback. */
  size(): u32 {
    const length = host.getBufferLength(this.type);
    return length < 0 ? 0 : <u32>length;
  }

  /** Returns up to `length` bytes from `start` (clipped to the buffer); empty outside the buffer's callback. */
  read(start: u32 = 0, length: u32 = u32.MAX_VALUE - start): ArrayBuffer {
    const bytes = host.getBufferBytes(this.type, start, length);
    return bytes == null ? new ArrayBuffer(0) : bytes;
  }

  /** Returns up to `length` bytes from `start` decoded as UTF-8. */
  readString(start: u32 = 0, length: u32 = u32.MAX_VALUE - start): string {
    return String.UTF8.decode(this.read(start, length));
  }

  /** Replaces the whole buffer with `data`; BadArgument outside the buffer's callback. */
  replace(data: ArrayBuffer): Status {
    return host.setBufferBytes(this.type, 0, this.size(), data);
  }

  /** Replaces the whole buffer with `text` as UTF-8; BadArgument outside the buffer's callback. */
  replaceString(text: string): Status {
    return this.replace(String.UTF8.encode(text));
  }

  /** Adds `data` after the buffer's bytes; BadArgument outside the buffer's callback. */
  append(data: ArrayBuffer): Status {
    return host.setBufferBytes(this.type, this.size(), 0, data);
  }

  /** Adds `text` as UTF-8 after the buffer's bytes; BadArgument outside the buffer's callback. */
  appendString(text: string): Status {
    return this.append(String.UTF8.encode(text));
  }

  /** Adds `data` before the buffer's bytes; BadArgument outside the buffer's callback. */
  prepend(data: ArrayBuffer): Status {
    return host.setBufferBytes(this.type, 0, 0, data);
  }

  /** Adds `text` as UTF-8 before the buffer's bytes; BadArgument outside the buffer's callback. */
  prependString(text: string): Status {
    return this.prepend(String.UTF8.encode(text));
  }

  /**
   * Writes with Envoy's raw rules: `start` 0 drops the first `dropCount` bytes then prepends `data`,
   * `start` at or past the end appends; any other start is BadArgument, as is a buffer outside its callback.
   */
  set(start: u32, dropCount: u32, data: ArrayBuffer): Status {
    return host.setBufferBytes(this.type, start, dropCount, data);
  }

  /** Removes the first `count` bytes (all of them when `count` exceeds the size); BadArgument outside the callback. */
  drop(count: u32): Status {
    return host.setBufferBytes(this.type, 0, count, new ArrayBuffer(0));
  }
}

/** What a WholeBody does with a body larger than its limit. */
export enum BodyOverflow {
  /** Answer locally: 413 request_payload_too_large for a request, 500 response_payload_too_large for a response. */
  Reject = 0,
  /** Let the body through unread: later chunks pass as they come and the body is never complete. */
  Pass = 1,
}

/**
 * Collects a whole HTTP body in Envoy's buffer (StopIterationAndBuffer until end of stream) for a
 * filter that must see all of it. Keep one per stream and direction, and call `collect` first
 * in the body callback: when `complete` is true the whole body is in `body` (read or change it,
 * then return Continue); otherwise return what `collect` returned. A body over `maxBytes` is
 * rejected or passed, as `overflow` says.
 */
export class WholeBody {
  private done: bool = false;
  private tooLarge: bool = false;

  constructor(
    /** `request.body` or `response.body`. */
    public readonly body: Body,
    /** The largest body collected, in bytes. */
    public readonly maxBytes: u32,
    /** What to do with a larger body. */
    public readonly overflow: BodyOverflow = BodyOverflow.Reject,
  ) {}

  /** True on the call where the whole body is buffered and readable. */
  get complete(): bool {
    return this.done;
  }

  /** True once the body went over `maxBytes`. */
  get overflowed(): bool {
    return this.tooLarge;
  }

  /** Call with the body callback's arguments; returns the status to answer while the body is not complete. */
  collect(bodySize: u32, endOfStream: bool): FilterDataStatus {
    this.done = false;
    if (this.tooLarge) return FilterDataStatus.Continue;
    if (bodySize > this.maxBytes) {
      this.tooLarge = true;
      if (this.overflow == BodyOverflow.Pass) return FilterDataStatus.Continue;
      const isRequest = this.body.type == BufferType.HttpRequestBody;
      sendLocalResponse(
        isRequest ? 413 : 500,
        isRequest ? "request_payload_too_large" : "response_payload_too_large",
        isRequest ? "Payload Too Large" : "Internal Server Error",
      );
      return FilterDataStatus.StopIterationNoBuffer;
    }
    if (!endOfStream) return FilterDataStatus.StopIterationAndBuffer;
    this.done = true;
    return FilterDataStatus.Continue;
  }
}

// Typed reads of a JSON configuration that name what is wrong by its JSON path, so a filter's
// onConfigure need not build path strings by hand: every reader of one document shares the first
// error found, and reads after it return empty values.

import { parseDouble } from "../parse-double";
import { JsonKind, JsonValue } from "./value";

class FirstError {
  message: string = "";
}

/** Reads one JSON value of a document (a configuration) at a known path; start with `JsonReader.root`. */
export class JsonReader {
  private constructor(
    /** The value read here. */
    public readonly value: JsonValue,
    /** Its JSON path, e.g. `rules[2].issuer`; "" for the document itself. */
    public readonly path: string,
    private readonly first: FirstError,
  ) {}

  /** Starts reading a parsed document; call `ok` and `error` once done reading. */
  static root(document: JsonValue): JsonReader {
    return new JsonReader(document, "", new FirstError());
  }

  /** True while no read of this document has failed. */
  get ok(): bool {
    return this.first.message.length == 0;
  }

  /** The first failure as `path: message` ("(root)" for the document itself), or "" when every read succeeded. */
  get error(): string {
    return this.first.message;
  }

  /** Records `message` about this value unless an earlier failure was recorded; always returns false. */
  fail(message: string): bool {
    if (this.ok) this.first.message = (this.path.length == 0 ? "(root)" : this.path) + ": " + message;
    return false;
  }

  /** Returns true when this value is an object; otherwise records "must be an object, got <kind>". */
  expectObject(): bool {
    if (this.value.kind == JsonKind.Object) return true;
    return this.fail("must be an object, got " + this.value.kindName());
  }

  /** Records "unknown field" for the first member of this object not in `allowed`; false when it found one. */
  allowOnly(allowed: Array<string>): bool {
    const keys = this.value.keys;
    for (let i = 0; i < keys.length; i++) {
      if (!allowed.includes(keys[i])) return this.member(keys[i], new JsonValue()).fail("unknown field");
    }
    return true;
  }

  /** Returns a reader for member `key` of this object, or null when absent (or when this is not an object). */
  optional(key: string): JsonReader | null {
    const member = this.value.get(key);
    return member == null ? null : this.member(key, member);
  }

  /** Returns member `key`, or a reader of null when absent, whose typed reads then fail with their own message. */
  field(key: string): JsonReader {
    const member = this.value.get(key);
    return this.member(key, member == null ? new JsonValue() : member);
  }

  /** Returns member `key`; when absent, records "is required" and returns a reader of null. */
  require(key: string): JsonReader {
    const member = this.value.get(key);
    if (member != null) return this.member(key, member);
    const missing = this.member(key, new JsonValue());
    missing.fail("is required");
    return missing;
  }

  /** Returns this value as a string; otherwise records `message` (default "must be a string, got <kind>") and returns "". */
  string(message: string = ""): string {
    if (this.value.kind == JsonKind.String) return this.value.string;
    this.fail(message.length > 0 ? message : "must be a string, got " + this.value.kindName());
    return "";
  }

  /** Returns this value as a number; otherwise records "must be a number, got <kind>" and returns 0. */
  number(): f64 {
    if (this.value.kind == JsonKind.Number) return this.value.number;
    this.fail("must be a number, got " + this.value.kindName());
    return 0;
  }

  /** Returns this value as a boolean; otherwise records "must be a boolean, got <kind>" and returns false. */
  bool(): bool {
    if (this.value.kind == JsonKind.Bool) return this.value.bool;
    this.fail("must be a boolean, got " + this.value.kindName());
    return false;
  }

  /** Returns this value as a google.protobuf.Duration in JSON form, seconds with an "s" suffix ("3600s", "0.5s"); otherwise records why and returns -1. */
  durationSeconds(): f64 {
    const message = 'must be a duration string such as "3600s"';
    const text = this.string(message);
    if (!this.ok) return -1;
    const seconds = text.endsWith("s") ? parseDouble(text.substring(0, text.length - 1)) : NaN;
    const digits = text.length > 1 && text.charCodeAt(0) >= 0x30 && text.charCodeAt(0) <= 0x39;
    if (!digits || !(seconds >= 0) || !isFinite(seconds)) {
      this.fail(message);
      return -1;
    }
    return seconds;
  }

  /** Returns readers for this array's elements (paths `path[i]`); otherwise records "must be an array, got <kind>" and returns none. */
  elements(): Array<JsonReader> {
    const readers = new Array<JsonReader>();
    if (this.value.kind != JsonKind.Array) {
      this.fail("must be an array, got " + this.value.kindName());
      return readers;
    }
    for (let i = 0; i < this.value.elements.length; i++) {
      readers.push(new JsonReader(this.value.elements[i], this.path + "[" + i.toString() + "]", this.first));
    }
    return readers;
  }

  /** Returns string member `key`; records "is required" when absent or a kind error, and returns "". */
  requireString(key: string): string {
    return this.require(key).string();
  }

  /** Returns string member `key`, or `fallback` when absent; records a kind error and returns "" when not a string. */
  optionalString(key: string, fallback: string = ""): string {
    const member = this.optional(key);
    return member == null ? fallback : member.string();
  }

  /** Returns number member `key`, or `fallback` when absent; records a kind error when not a number. */
  optionalNumber(key: string, fallback: f64 = 0): f64 {
    const member = this.optional(key);
    return member == null ? fallback : member.number();
  }

  /** Returns boolean member `key`, or `fallback` when absent; records a kind error when not a boolean. */
  optionalBool(key: string, fallback: bool = false): bool {
    const member = this.optional(key);
    return member == null ? fallback : member.bool();
  }

  /** Returns the element readers of array member `key`: none when absent; records a kind error when not an array. */
  optionalArray(key: string): Array<JsonReader> {
    const member = this.optional(key);
    return member == null ? new Array<JsonReader>() : member.elements();
  }

  private member(key: string, value: JsonValue): JsonReader {
    return new JsonReader(value, this.path.length == 0 ? key : this.path + "." + key, this.first);
  }
}

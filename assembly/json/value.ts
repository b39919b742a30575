// A parsed JSON document. One class for every kind keeps access cast-free in AssemblyScript.

/** The kind of a JSON value. */
export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

/** A JSON value of any kind; read the field that matches `kind`. */
export class JsonValue {
  /** Which of the fields below holds the value. */
  kind: JsonKind = JsonKind.Null;
  /** The value of a Bool. */
  bool: bool = false;
  /** The value of a Number (RFC 8259 numbers as IEEE-754 doubles). */
  number: f64 = 0;
  /** The value of a String. */
  string: string = "";
  /** The elements of an Array, in order. */
  elements: Array<JsonValue> = [];
  /** The member names of an Object, in document order. */
  keys: Array<string> = [];
  /** The members of an Object by name. */
  members: Map<string, JsonValue> = new Map<string, JsonValue>();

  /** Returns a member of an Object, or null when absent or when this is not an Object. */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object || !this.members.has(key)) return null;
    return this.members.get(key);
  }

  /** Returns true when this value is a String. */
  isString(): bool {
    return this.kind == JsonKind.String;
  }

  /** Returns true when this value is an Array. */
  isArray(): bool {
    return this.kind == JsonKind.Array;
  }

  /** Returns true when this value is an Object. */
  isObject(): bool {
    return this.kind == JsonKind.Object;
  }

  /** Names this value's kind as a JSON Schema type, for error messages. */
  kindName(): string {
    switch (this.kind) {
      case JsonKind.Null:
        return "null";
      case JsonKind.Bool:
        return "boolean";
      case JsonKind.Number:
        return "number";
      case JsonKind.String:
        return "string";
      case JsonKind.Array:
        return "array";
      default:
        return "object";
    }
  }
}

/** The outcome of parsing: a value, or an error message with the byte offset it refers to. */
export class JsonResult {
  constructor(
    /** The parsed document, or null when parsing failed. */
    public value: JsonValue | null,
    /** Why parsing failed; empty on success. */
    public error: string,
    /** Byte offset of the failure in the input; -1 on success. */
    public offset: i32,
  ) {}

  /** Returns true when the input parsed. */
  get ok(): bool {
    return this.value != null;
  }
}

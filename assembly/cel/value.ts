// CEL runtime values. Every value carries its kind so the evaluator dispatches on an integer, and
// casts with changetype once the kind is known. Errors are values too: evaluation never traps.

/** The runtime kinds of CEL values (error is a value that absorbing operators may discard). */
export enum CelKind {
  Null,
  Bool,
  Int,
  Uint,
  Double,
  String,
  Bytes,
  List,
  Map,
  Timestamp,
  Duration,
  Type,
  Error,
}

/** A CEL value; inspect `kind` and cast to the matching subclass (CelInt for CelKind.Int, ...). */
export class CelValue {
  constructor(
    /** Which subclass this is. */
    public readonly kind: CelKind,
  ) {}

  /** True when this is an error value. */
  // @ts-ignore: decorator
  @inline get isError(): bool {
    return this.kind == CelKind.Error;
  }
}

/** The null value; use the shared `CEL_NULL`. */
export class CelNull extends CelValue {
  constructor() {
    super(CelKind.Null);
  }
}

/** A bool; use the shared `CEL_TRUE`, `CEL_FALSE` or `celBool`. */
export class CelBool extends CelValue {
  constructor(
    /** The boolean. */
    public readonly value: bool,
  ) {
    super(CelKind.Bool);
  }
}

/** A signed 64-bit integer. */
export class CelInt extends CelValue {
  constructor(
    /** The integer. */
    public readonly value: i64,
  ) {
    super(CelKind.Int);
  }
}

/** An unsigned 64-bit integer. */
export class CelUint extends CelValue {
  constructor(
    /** The integer. */
    public readonly value: u64,
  ) {
    super(CelKind.Uint);
  }
}

/** An IEEE 754 double. */
export class CelDouble extends CelValue {
  constructor(
    /** The number. */
    public readonly value: f64,
  ) {
    super(CelKind.Double);
  }
}

/** A Unicode string (held as UTF-16; CEL sizes and orders count code points). */
export class CelString extends CelValue {
  constructor(
    /** The text. */
    public readonly value: string,
  ) {
    super(CelKind.String);
  }
}

/** A byte sequence. */
export class CelBytes extends CelValue {
  constructor(
    /** The bytes; not copied, so do not change them after handing them over. */
    public readonly value: Uint8Array,
  ) {
    super(CelKind.Bytes);
  }
}

/** A list of values. */
export class CelList extends CelValue {
  constructor(
    /** The elements; not copied. */
    public readonly items: CelValue[],
  ) {
    super(CelKind.List);
  }
}

/** A point in time: seconds since the Unix epoch and nanoseconds in [0, 1e9). */
export class CelTimestamp extends CelValue {
  constructor(
    /** Whole seconds since 1970-01-01T00:00:00Z. */
    public readonly seconds: i64,
    /** Nanoseconds added to `seconds`, in [0, 999999999]. */
    public readonly nanos: i32,
  ) {
    super(CelKind.Timestamp);
  }
}

/** A signed span of time in nanoseconds (so about ±292 years, as in cel-go). */
export class CelDuration extends CelValue {
  constructor(
    /** The span in nanoseconds. */
    public readonly nanos: i64,
  ) {
    super(CelKind.Duration);
  }
}

/** A type value such as `int` or `google.protobuf.Timestamp`, as returned by `type(x)`. */
export class CelType extends CelValue {
  constructor(
    /** The CEL type name. */
    public readonly name: string,
  ) {
    super(CelKind.Type);
  }
}

/** An evaluation error; `&&`, `||` and the macros `all`/`exists` may absorb it, everything else propagates it. */
export class CelError extends CelValue {
  constructor(
    /** What went wrong, e.g. "division by zero". */
    public readonly message: string,
  ) {
    super(CelKind.Error);
  }
}

/** The null value. */
@lazy export const CEL_NULL = new CelNull();
/** The value true. */
@lazy export const CEL_TRUE = new CelBool(true);
/** The value false. */
@lazy export const CEL_FALSE = new CelBool(false);

/** The shared bool value for `value`. */
// @ts-ignore: decorator
@inline
export function celBool(value: bool): CelValue {
  return value ? CEL_TRUE : CEL_FALSE;
}

/** The CEL type name of a value's kind, as `type(x)` reports it. */
export function kindName(kind: CelKind): string {
  switch (kind) {
    case CelKind.Null:
      return "null_type";
    case CelKind.Bool:
      return "bool";
    case CelKind.Int:
      return "int";
    case CelKind.Uint:
      return "uint";
    case CelKind.Double:
      return "double";
    case CelKind.String:
      return "string";
    case CelKind.Bytes:
      return "bytes";
    case CelKind.List:
      return "list";
    case CelKind.Map:
      return "map";
    case CelKind.Timestamp:
      return "google.protobuf.Timestamp";
    case CelKind.Duration:
      return "google.protobuf.Duration";
    case CelKind.Type:
      return "type";
    default:
      return "error";
  }
}

/** The error for an operator or function applied to arguments it has no overload for. */
export function noOverload(name: string, args: CelValue[]): CelError {
  let list = "";
  for (let i = 0; i < args.length; i++) list += (i > 0 ? ", " : "") + kindName(unchecked(args[i]).kind);
  return new CelError("no matching overload for '" + name + "' applied to (" + list + ")");
}

// Small ints are shared, so that sizes, counters and small sums allocate nothing. The table is built
// on first use, so that modules that never evaluate CEL do not pay for it at start-up.
const SMALL_INT_MIN: i64 = -128;
const SMALL_INT_MAX: i64 = 1023;
let smallInts: StaticArray<CelInt> | null = null;

function smallIntTable(): StaticArray<CelInt> {
  let table = smallInts;
  if (table == null) {
    table = new StaticArray<CelInt>(<i32>(SMALL_INT_MAX - SMALL_INT_MIN + 1));
    for (let i = SMALL_INT_MIN; i <= SMALL_INT_MAX; i++) table[<i32>(i - SMALL_INT_MIN)] = new CelInt(i);
    smallInts = table;
  }
  return table;
}

/** An int value, shared for small values. */
export function celInt(value: i64): CelInt {
  if (value >= SMALL_INT_MIN && value <= SMALL_INT_MAX) return unchecked(smallIntTable()[<i32>(value - SMALL_INT_MIN)]);
  return new CelInt(value);
}

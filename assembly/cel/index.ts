// CEL (Common Expression Language) for policies and telemetry: compile an expression once at
// configure time, then evaluate it per request against a resolver that reads attributes lazily.
// See README.md for the supported subset.

import { check } from "./checker";
import { Activation, CelResolver, evaluate } from "./evaluator";
import { describePosition } from "./lexer";
import { Node } from "./ast";
import { at, forget, indexOfText } from "./fast";
import { parse } from "./parser";
import { toStringValue } from "./convert";
import { CelBool, CelKind, CelString, CelValue } from "./value";

export { CelResolver } from "./evaluator";
export { CelMap, CelMapPut, CelMapValue } from "./map";
export {
  CEL_FALSE,
  CEL_NULL,
  CEL_TRUE,
  CelBool,
  CelBytes,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  CelKind,
  CelList,
  CelNull,
  CelString,
  CelTimestamp,
  CelType,
  CelUint,
  CelValue,
  celBool,
  celInt,
} from "./value";

/** How an expression is compiled. */
export class CelOptions {
  /** When false, unknown functions, wrong arity and impossible operand types become evaluation errors instead of compile errors. */
  check: bool = true;
}

/** The outcome of CelProgram.compile: the program, or an error starting with `line:column`. */
export class CelCompileResult {
  constructor(
    /** The compiled program, or null when `error` is set. */
    public readonly program: CelProgram | null,
    /** "" on success; otherwise e.g. `1:9: unexpected token`. */
    public readonly error: string,
  ) {}
}

/** A bag of named values, the simplest resolver (tests, or attributes computed up front). */
export class CelBindings extends CelResolver {
  private readonly names: string[] = [];
  private readonly values: CelValue[] = [];

  /** Binds `name` (a plain or dotted name) to `value`, replacing an earlier binding; returns this for chaining. */
  set(name: string, value: CelValue): CelBindings {
    const at = this.names.indexOf(name);
    if (at >= 0) this.values[at] = value;
    else {
      this.names.push(name);
      this.values.push(value);
    }
    return this;
  }

  /** The value bound to `name`, or null; a handful of roots, so comparing names beats hashing them. */
  resolve(name: string): CelValue | null {
    const found = indexOfText(changetype<usize>(this.names), changetype<usize>(name));
    return found < 0 ? null : at(this.values, found);
  }
}

/** A parsed and checked expression, safe to evaluate any number of times. */
export class CelProgram {
  // Reused by every evaluation: evaluation never re-enters a program while it runs.
  private readonly activation: Activation;

  private constructor(
    private readonly root: Node,
    slots: i32,
    names: i32,
  ) {
    this.activation = new Activation(new CelBindings(), new Array<CelValue>(slots), new StaticArray(names));
  }

  /** Parses and checks `source`; call it at configure time and report the error to the operator. */
  static compile(source: string, options: CelOptions = new CelOptions()): CelCompileResult {
    const parsed = parse(source);
    const tree = parsed.node;
    if (tree == null) return new CelCompileResult(null, describePosition(source, parsed.offset) + ": " + parsed.error);
    const checked = check(tree, options.check);
    const root = checked.node;
    if (root == null)
      return new CelCompileResult(null, describePosition(source, checked.offset) + ": " + checked.error);
    return new CelCompileResult(new CelProgram(root, checked.slots, checked.names), "");
  }

  /** Evaluates against `resolver`; the result may be a CelError (evaluation never traps). */
  evaluate(resolver: CelResolver): CelValue {
    const activation = this.activation;
    activation.resolver = resolver;
    const result = evaluate(this.root, activation);
    // Answers belong to this evaluation only; the next one may see a different request.
    forget(activation.resolved);
    return result;
  }

  /** True only when evaluation yields the bool true (errors and other values count as false). */
  test(resolver: CelResolver): bool {
    const result = this.evaluate(resolver);
    return result.kind == CelKind.Bool && changetype<CelBool>(result).value;
  }
}

/** The text CEL's `string()` conversion gives `value`, or null when it has none (errors, null, lists, maps). */
export function celText(value: CelValue): string | null {
  const text = toStringValue(value);
  return text.kind == CelKind.String ? changetype<CelString>(text).value : null;
}

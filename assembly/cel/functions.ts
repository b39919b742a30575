// The strict functions and operators: every argument is already evaluated and none is an error.
// Each returns a value or a CEL error; none traps.

import { add, divide, modulo, multiply, negate, subtract } from "./arith";
import { CallNode, Fn } from "./ast";
import { NO_ORDER, UNORDERED, compareValues, valuesEqual } from "./compare";
import { toBool, toBytes, toDouble, toDuration, toInt, toStringValue, toTimestamp, toUint, typeOf } from "./convert";
import { CelMap } from "./map";
import { matches } from "./matches";
import { Regex } from "../regex";
import { at, count } from "./fast";
import { codePointCount } from "./text";
import { TimePart, durationPart, timestampPart } from "./time";
import {
  CEL_FALSE,
  CEL_TRUE,
  CelBool,
  CelBytes,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  celInt,
  CelKind,
  CelList,
  CelString,
  CelTimestamp,
  CelUint,
  CelValue,
  celBool,
  noOverload,
} from "./value";

function text(v: CelValue): string {
  return changetype<CelString>(v).value;
}

function stringPair(a: CelValue, b: CelValue): bool {
  return a.kind == CelKind.String && b.kind == CelKind.String;
}

function size(v: CelValue): CelValue {
  switch (v.kind) {
    case CelKind.String:
      return celInt(codePointCount(text(v)));
    case CelKind.Bytes:
      return celInt(changetype<CelBytes>(v).value.length);
    case CelKind.List:
      return celInt(changetype<CelList>(v).items.length);
    case CelKind.Map:
      return celInt(changetype<CelMap>(v).size());
  }
  return noOverload("size", [v]);
}

/** `container[key]`: list positions may be int, uint or an integral double. */
export function index(container: CelValue, key: CelValue): CelValue {
  if (container.kind == CelKind.Map) {
    const found = changetype<CelMap>(container).get(key);
    return found != null ? found : new CelError("no such key");
  }
  if (container.kind != CelKind.List) return noOverload("_[_]", [container, key]);
  const items = changetype<CelList>(container).items;
  let at: i64 = -1;
  if (key.kind == CelKind.Int) at = changetype<CelInt>(key).value;
  else if (key.kind == CelKind.Uint) {
    const u = changetype<CelUint>(key).value;
    at = u > <u64>i64.MAX_VALUE ? -1 : <i64>u;
  } else if (key.kind == CelKind.Double) {
    const d = changetype<CelDouble>(key).value;
    if (Math.floor(d) != d) return new CelError("invalid list index");
    at = d >= 0 && d < <f64>items.length ? <i64>d : -1;
  } else return noOverload("_[_]", [container, key]);
  if (at < 0 || at >= <i64>items.length) return new CelError("index out of range");
  return unchecked(items[<i32>at]);
}

/** `element in container`. */
export function contains(element: CelValue, container: CelValue): CelValue {
  if (container.kind == CelKind.Map) return celBool(changetype<CelMap>(container).get(element) != null);
  if (container.kind != CelKind.List) return noOverload("@in", [element, container]);
  const items = changetype<CelList>(container).items;
  for (let i = 0, n = count(items); i < n; i++) if (valuesEqual(element, at(items, i))) return CEL_TRUE;
  return CEL_FALSE;
}

function order(fn: Fn, a: CelValue, b: CelValue): CelValue {
  const c = compareValues(a, b);
  if (c == NO_ORDER) return noOverload(fn == Fn.Less ? "_<_" : fn == Fn.Greater ? "_>_" : "_<=_", [a, b]);
  if (c == UNORDERED) return celBool(false);
  switch (fn) {
    case Fn.Less:
      return celBool(c < 0);
    case Fn.LessEquals:
      return celBool(c <= 0);
    case Fn.Greater:
      return celBool(c > 0);
    default:
      return celBool(c >= 0);
  }
}

function timePart(fn: Fn): TimePart {
  switch (fn) {
    case Fn.GetFullYear:
      return TimePart.FullYear;
    case Fn.GetMonth:
      return TimePart.Month;
    case Fn.GetDayOfYear:
      return TimePart.DayOfYear;
    case Fn.GetDayOfMonth:
      return TimePart.DayOfMonth;
    case Fn.GetDate:
      return TimePart.Date;
    case Fn.GetDayOfWeek:
      return TimePart.DayOfWeek;
    case Fn.GetHours:
      return TimePart.Hours;
    case Fn.GetMinutes:
      return TimePart.Minutes;
    case Fn.GetSeconds:
      return TimePart.Seconds;
    default:
      return TimePart.Milliseconds;
  }
}

function accessor(fn: Fn, name: string, args: CelValue[]): CelValue {
  const subject = args[0];
  if (subject.kind == CelKind.Timestamp) {
    if (args.length == 1) return timestampPart(changetype<CelTimestamp>(subject), timePart(fn), "");
    if (args[1].kind == CelKind.String)
      return timestampPart(changetype<CelTimestamp>(subject), timePart(fn), text(args[1]));
  } else if (subject.kind == CelKind.Duration && args.length == 1) {
    const part = timePart(fn);
    if (part >= TimePart.Hours) return durationPart(changetype<CelDuration>(subject), part);
  }
  return noOverload(name, args);
}

/** Applies `fn` (named `call.name` in errors) to evaluated, error-free arguments. */
export function callFunction(fn: Fn, args: CelValue[], call: CallNode): CelValue {
  switch (fn) {
    case Fn.Not:
      return args[0].kind == CelKind.Bool ? celBool(!changetype<CelBool>(args[0]).value) : noOverload("!_", args);
    case Fn.Negate:
      return negate(args[0]);
    case Fn.Index:
      return index(args[0], args[1]);
    case Fn.Equals:
      return celBool(valuesEqual(args[0], args[1]));
    case Fn.NotEquals:
      return celBool(!valuesEqual(args[0], args[1]));
    case Fn.Less:
    case Fn.LessEquals:
    case Fn.Greater:
    case Fn.GreaterEquals:
      return order(fn, args[0], args[1]);
    case Fn.In:
      return contains(args[0], args[1]);
    case Fn.Add:
      return add(args[0], args[1]);
    case Fn.Subtract:
      return subtract(args[0], args[1]);
    case Fn.Multiply:
      return multiply(args[0], args[1]);
    case Fn.Divide:
      return divide(args[0], args[1]);
    case Fn.Modulo:
      return modulo(args[0], args[1]);
    case Fn.Size:
      return size(args[0]);
    case Fn.Contains:
      return stringPair(args[0], args[1])
        ? celBool(text(args[0]).includes(text(args[1])))
        : noOverload(call.name, args);
    case Fn.StartsWith:
      return stringPair(args[0], args[1])
        ? celBool(text(args[0]).startsWith(text(args[1])))
        : noOverload(call.name, args);
    case Fn.EndsWith:
      return stringPair(args[0], args[1])
        ? celBool(text(args[0]).endsWith(text(args[1])))
        : noOverload(call.name, args);
    case Fn.Matches: {
      if (!stringPair(args[0], args[1])) return noOverload(call.name, args);
      const compiled = call.compiled;
      return matches(text(args[0]), text(args[1]), compiled != null ? changetype<Regex>(compiled) : null);
    }
    case Fn.ToInt:
      return toInt(args[0]);
    case Fn.ToUint:
      return toUint(args[0]);
    case Fn.ToDouble:
      return toDouble(args[0]);
    case Fn.ToString:
      return toStringValue(args[0]);
    case Fn.ToBytes:
      return toBytes(args[0]);
    case Fn.ToBool:
      return toBool(args[0]);
    case Fn.Dyn:
      return args[0];
    case Fn.TypeOf:
      return typeOf(args[0]);
    case Fn.ToTimestamp:
      return toTimestamp(args[0]);
    case Fn.ToDuration:
      return toDuration(args[0]);
    case Fn.Unknown:
      return new CelError("unbound function '" + call.name + "'");
    default:
      return accessor(fn, call.name, args);
  }
}

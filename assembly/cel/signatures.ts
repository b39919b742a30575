// Which function a call names: operators by their internal names, functions by name, call style
// (global `f(x)` or receiver `x.f()`) and argument count.

import { Fn } from "./ast";

function operator(name: string): Fn {
  if (name == "_&&_") return Fn.And;
  if (name == "_||_") return Fn.Or;
  if (name == "!_") return Fn.Not;
  if (name == "-_") return Fn.Negate;
  if (name == "_?_:_") return Fn.Conditional;
  if (name == "_[_]") return Fn.Index;
  if (name == "_==_") return Fn.Equals;
  if (name == "_!=_") return Fn.NotEquals;
  if (name == "_<_") return Fn.Less;
  if (name == "_<=_") return Fn.LessEquals;
  if (name == "_>_") return Fn.Greater;
  if (name == "_>=_") return Fn.GreaterEquals;
  if (name == "@in") return Fn.In;
  if (name == "_+_") return Fn.Add;
  if (name == "_-_") return Fn.Subtract;
  if (name == "_*_") return Fn.Multiply;
  if (name == "_/_") return Fn.Divide;
  if (name == "_%_") return Fn.Modulo;
  return Fn.Unknown;
}

function conversion(name: string): Fn {
  if (name == "int") return Fn.ToInt;
  if (name == "uint") return Fn.ToUint;
  if (name == "double") return Fn.ToDouble;
  if (name == "string") return Fn.ToString;
  if (name == "bytes") return Fn.ToBytes;
  if (name == "bool") return Fn.ToBool;
  if (name == "dyn") return Fn.Dyn;
  if (name == "type") return Fn.TypeOf;
  if (name == "timestamp") return Fn.ToTimestamp;
  if (name == "duration") return Fn.ToDuration;
  return Fn.Unknown;
}

function accessor(name: string): Fn {
  if (name == "getFullYear") return Fn.GetFullYear;
  if (name == "getMonth") return Fn.GetMonth;
  if (name == "getDayOfYear") return Fn.GetDayOfYear;
  if (name == "getDayOfMonth") return Fn.GetDayOfMonth;
  if (name == "getDate") return Fn.GetDate;
  if (name == "getDayOfWeek") return Fn.GetDayOfWeek;
  if (name == "getHours") return Fn.GetHours;
  if (name == "getMinutes") return Fn.GetMinutes;
  if (name == "getSeconds") return Fn.GetSeconds;
  if (name == "getMilliseconds") return Fn.GetMilliseconds;
  return Fn.Unknown;
}

/** The function `name` names when called with `arity` arguments (besides the receiver, if any); Fn.Unknown when none. */
export function resolveFunction(name: string, receiver: bool, arity: i32): Fn {
  if (!receiver) {
    const op = operator(name);
    if (op != Fn.Unknown) return op;
    if (arity == 1) {
      if (name == "size") return Fn.Size;
      return conversion(name);
    }
    return arity == 2 && name == "matches" ? Fn.Matches : Fn.Unknown;
  }
  if (arity == 0 && name == "size") return Fn.Size;
  if (arity == 1) {
    if (name == "contains") return Fn.Contains;
    if (name == "startsWith") return Fn.StartsWith;
    if (name == "endsWith") return Fn.EndsWith;
    if (name == "matches") return Fn.Matches;
  }
  return arity <= 1 ? accessor(name) : Fn.Unknown;
}

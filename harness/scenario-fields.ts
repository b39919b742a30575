// Typed reads of the JSON values a scenario file is made of; every failure is a ScenarioError that
// names the JSON path of the offending value.

import { type HeaderEntry } from "./host/pairs.js";

/** A problem in a scenario, at JSON path `path` (`$` is the document). */
export class ScenarioError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A JSON object as parsed. */
export type Json = Record<string, unknown>;

/** The JSON kind of `v`, for messages. */
export const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Typed reads of one JSON object, each failing with the field's path. */
export class Fields {
  constructor(
    readonly path: string,
    readonly json: Json,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(json)) {
      if (!allowed.includes(key))
        throw new ScenarioError(`${path}.${key}`, `unknown field (expected one of ${allowed.join(", ")})`);
    }
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  string(key: string): string | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw new ScenarioError(this.at(key), `must be a string, got ${kindOf(value)}`);
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    if (typeof value !== "boolean")
      throw new ScenarioError(this.at(key), `must be true or false, got ${kindOf(value)}`);
    return value;
  }

  integer(key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new ScenarioError(this.at(key), `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value !== undefined && !(choices as readonly string[]).includes(value)) {
      throw new ScenarioError(this.at(key), `must be one of ${choices.join(", ")}, got "${value}"`);
    }
    return value as T | undefined;
  }

  object(key: string): Json | undefined {
    const value = this.json[key];
    return value === undefined ? undefined : asObject(value, this.at(key));
  }

  array(key: string): unknown[] | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw new ScenarioError(this.at(key), `must be an array, got ${kindOf(value)}`);
    return value;
  }

  // Plugin and VM configuration: the raw text, or JSON (sent as its serialization, like a Struct).
  configuration(key: string): string | object | undefined {
    const value = this.json[key];
    if (value === undefined || typeof value === "string") return value;
    if (typeof value === "object" && value !== null) return value;
    throw new ScenarioError(this.at(key), `must be a string or a JSON object or array, got ${kindOf(value)}`);
  }

  headers(key: string): HeaderEntry[] {
    const value = this.json[key];
    const path = this.at(key);
    if (value === undefined) return [];
    if (Array.isArray(value)) {
      return value.map((entry, i) => {
        const ok = Array.isArray(entry) && entry.length === 2 && entry.every((s) => typeof s === "string");
        if (!ok) throw new ScenarioError(`${path}[${i}]`, "must be a [name, value] pair of strings");
        return [entry[0], entry[1]] as HeaderEntry;
      });
    }
    return Object.entries(asObject(value, path)).map(([name, v]) => {
      if (typeof v !== "string") throw new ScenarioError(`${path}.${name}`, `must be a string, got ${kindOf(v)}`);
      return [name, v] as HeaderEntry;
    });
  }

  // Text under `key` (UTF-8) or bytes under `${key}_base64`; not both.
  bytes(key: string): Uint8Array {
    const text = this.string(key);
    const base64 = this.string(`${key}_base64`);
    if (text !== undefined && base64 !== undefined) {
      throw new ScenarioError(this.at(`${key}_base64`), `give either ${key} or ${key}_base64, not both`);
    }
    if (base64 !== undefined) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new ScenarioError(this.at(`${key}_base64`), "is not base64");
      return new Uint8Array(Buffer.from(base64, "base64"));
    }
    return new TextEncoder().encode(text ?? "");
  }
}

/** `value` as an object, or a ScenarioError at `path`. */
export function asObject(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ScenarioError(path, `must be an object, got ${kindOf(value)}`);
  }
  return value as Json;
}

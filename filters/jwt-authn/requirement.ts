// Requirement trees (Envoy's JwtRequirement): a provider, any-of, all-of, and the two
// allow-missing leaves. The configuration's JSON shape is Envoy's proto JSON.

import { JsonReader } from "../../assembly";
import { Provider, normaliseAudience } from "./provider";

/** What a requirement node asks for. */
export enum RequirementKind {
  /** A token of one provider (optionally with other audiences). */
  Provider,
  /** At least one child passes. */
  Any,
  /** Every child passes. */
  All,
  /** No token at all, or tokens that all verify with the provider their issuer names. */
  AllowMissing,
  /** Always passes; tokens that verify are still used. */
  AllowMissingOrFailed,
}

/** One node of a requirement tree. */
export class Requirement {
  /** The node kind. */
  kind: RequirementKind = RequirementKind.AllowMissingOrFailed;
  /** The provider of a Provider node. */
  provider: Provider | null = null;
  /** Audiences replacing the provider's (provider_and_audiences), or null. */
  audiences: Array<string> | null = null;
  /** The children of Any and All. */
  children: Array<Requirement> = [];

  /** A Provider node. */
  static ofProvider(provider: Provider, audiences: Array<string> | null = null): Requirement {
    const r = new Requirement();
    r.kind = RequirementKind.Provider;
    r.provider = provider;
    r.audiences = audiences;
    return r;
  }

  /** An Any or All node over `children`. */
  static group(kind: RequirementKind, children: Array<Requirement>): Requirement {
    const r = new Requirement();
    r.kind = kind;
    r.children = children;
    return r;
  }

  /** An AllowMissing or AllowMissingOrFailed leaf. */
  static leaf(kind: RequirementKind): Requirement {
    const r = new Requirement();
    r.kind = kind;
    return r;
  }
}

// Deep trees add nothing real configurations need and would only cost stack.
const MAX_DEPTH = 16;

/** Reads a requirement; null with the error recorded on `reader`. */
export function readRequirement(
  reader: JsonReader,
  providers: Map<string, Provider>,
  depth: i32 = 0,
): Requirement | null {
  if (!reader.expectObject()) return null;
  if (reader.value.keys.length != 1) {
    reader.fail(
      "must have exactly one of provider_name, provider_and_audiences, requires_any, requires_all, allow_missing, allow_missing_or_failed",
    );
    return null;
  }
  if (depth >= MAX_DEPTH) {
    reader.fail("nests deeper than " + MAX_DEPTH.toString() + " levels");
    return null;
  }
  const key = reader.value.keys[0];
  const body = reader.field(key);
  if (key == "provider_name") return providerNode(body, body.string(), providers, null);
  if (key == "provider_and_audiences") {
    if (!body.expectObject() || !body.allowOnly(["provider_name", "audiences"])) return null;
    const name = body.requireString("provider_name");
    const items = body.require("audiences").elements();
    const audiences = new Array<string>();
    for (let i = 0; i < items.length; i++) audiences.push(normaliseAudience(items[i].string()));
    return providerNode(body.field("provider_name"), name, providers, audiences);
  }
  if (key == "requires_any" || key == "requires_all") {
    if (!body.expectObject() || !body.allowOnly(["requirements"])) return null;
    const items = body.require("requirements").elements();
    // Envoy's proto requires at least two: one child is just that child.
    if (body.ok && items.length < 2) {
      body.field("requirements").fail("must list at least 2 requirements");
      return null;
    }
    const children = new Array<Requirement>();
    for (let i = 0; i < items.length; i++) {
      const child = readRequirement(items[i], providers, depth + 1);
      if (child == null) return null;
      children.push(child);
    }
    return Requirement.group(key == "requires_any" ? RequirementKind.Any : RequirementKind.All, children);
  }
  if (key == "allow_missing" || key == "allow_missing_or_failed") {
    if (!body.expectObject() || !body.allowOnly([])) return null;
    return Requirement.leaf(
      key == "allow_missing" ? RequirementKind.AllowMissing : RequirementKind.AllowMissingOrFailed,
    );
  }
  body.fail("unknown requirement");
  return null;
}

function providerNode(
  reader: JsonReader,
  name: string,
  providers: Map<string, Provider>,
  audiences: Array<string> | null,
): Requirement | null {
  if (!reader.ok) return null;
  if (!providers.has(name)) {
    reader.fail('names no configured provider: "' + name + '"');
    return null;
  }
  return Requirement.ofProvider(providers.get(name), audiences);
}

// The SDK (assembly/types.ts) and the harness (harness/abi/types.ts) use the same ABI numbers.

import { describe, expect, it } from "vitest";
import * as host from "../../harness/abi/types.js";
import * as sdk from "../../assembly/types.js";

const enumNames = Object.keys(sdk).sort();

describe("ABI enums", () => {
  it("the harness declares the same enums as the SDK", () => {
    expect(Object.keys(host).sort()).toEqual(enumNames);
    expect(enumNames.length).toBeGreaterThanOrEqual(13);
  });

  it.each(enumNames)("%s has the same names and numbers on both sides", (name) => {
    const fromSdk = (sdk as Record<string, object>)[name];
    const fromHost = (host as Record<string, object>)[name];
    expect(fromHost).toEqual(fromSdk);
  });

  it("matches the numbers Envoy uses (spot checks from the reference)", () => {
    expect(sdk.Status.CasMismatch).toBe(8);
    expect(sdk.Status.Unimplemented).toBe(12);
    expect(sdk.MapType.HttpCallResponseTrailers).toBe(7);
    expect(sdk.BufferType.CallData).toBe(8);
    expect(sdk.FilterHeadersStatus.StopAllIterationAndWatermark).toBe(4);
    expect(sdk.GrpcStatus.Unset).toBe(-1);
  });
});

// Links a module to the host the way Envoy does (reference abi.md 1, 3.11, 4): the ABI marker
// decides which functions exist, an import Envoy does not register fails the load, a signature
// mismatch fails the load, and an import Envoy has but this harness lacks fails loudly by name.

import { type ModuleInfo } from "./module-info.js";
import { type AbiVersion, callbacksFor, ENV_FUNCTIONS, WASI_FUNCTIONS, WASI_MODULES } from "./signatures.js";
import { Status } from "./types.js";
import { bufferCalls } from "../host/buffer-calls.js";
import { calloutCalls } from "../host/callout-calls.js";
import { contextCalls } from "../host/context-calls.js";
import { dnsCalls } from "../host/dns.js";
import { headerCalls } from "../host/header-calls.js";
import { legacyCalls } from "../host/legacy-calls.js";
import { loggingCalls } from "../host/logging.js";
import { metricCalls } from "../host/metric-calls.js";
import { MemoryAccessError } from "../host/memory.js";
import { propertyCalls } from "../host/property-calls.js";
import { sharedCalls } from "../host/shared-calls.js";
import { streamCalls } from "../host/stream-calls.js";
import { timerCalls } from "../host/timer-calls.js";
import { type HostCallTrace, tracedPath } from "../host/trace.js";
import { RTRACE_FUNCTIONS, type RtraceCounter } from "../host/rtrace.js";
import { Errno, wasiCalls } from "../host/wasi-calls.js";
import { type HostFunction, type WasmVm } from "../host/vm.js";

/** Why a module cannot be loaded; Envoy would reject the configuration that names it. */
export class ModuleLoadError extends Error {}

const IMPLEMENTED: Record<string, HostFunction> = {
  ...loggingCalls,
  ...headerCalls,
  ...bufferCalls,
  ...streamCalls,
  ...propertyCalls,
  ...wasiCalls,
  ...legacyCalls,
  ...calloutCalls,
  ...contextCalls,
  ...metricCalls,
  ...sharedCalls,
  ...timerCalls,
  ...dnsCalls,
};

const ABI_MARKERS: Record<string, AbiVersion> = {
  proxy_abi_version_0_1_0: "0.1.0",
  proxy_abi_version_0_2_0: "0.2.0",
  proxy_abi_version_0_2_1: "0.2.1",
};

/** Finds the ABI version a module declares by its marker export (the first one wins). */
export function detectAbi(info: ModuleInfo): AbiVersion {
  for (const entry of info.exports) {
    const version = ABI_MARKERS[entry.name];
    if (version && entry.kind === "function") return version;
  }
  throw new ModuleLoadError("Missing or unknown Proxy-Wasm ABI version");
}

/** Checks what Envoy checks on the exports: an allocator, and exact callback signatures. */
export function checkExports(info: ModuleInfo, abi: AbiVersion): void {
  const functions = new Map(info.exports.filter((e) => e.kind === "function").map((e) => [e.name, e.signature]));
  if (!functions.has("malloc") && !functions.has("proxy_on_memory_allocate")) {
    throw new ModuleLoadError("Wasm module is missing malloc function (MissingFunction)");
  }
  for (const [name, expected] of Object.entries(callbacksFor(abi))) {
    const actual = functions.get(name);
    if (actual !== undefined && actual !== expected) {
      throw new ModuleLoadError(`Bad function signature for: ${name} (expected ${expected}, got ${actual})`);
    }
  }
}

function specFor(module: string, name: string, abi: AbiVersion): string | undefined {
  if (module === "env") {
    const spec = ENV_FUNCTIONS[name];
    return spec && spec.versions.includes(abi) ? spec.signature : undefined;
  }
  if ((WASI_MODULES as readonly string[]).includes(module)) return WASI_FUNCTIONS[name];
  return undefined;
}

/**
 * Builds the import object for `info`, each function bound to the VM `vm()` returns; `trace` records
 * every call; `rtrace`, when given, provides AssemblyScript's leak-tracing `rtrace.*` module.
 */
export function link(
  info: ModuleInfo,
  abi: AbiVersion,
  vm: () => WasmVm,
  trace?: HostCallTrace,
  rtrace?: RtraceCounter,
): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const rtraceCalls = rtrace?.link(vm);
  for (const entry of info.imports) {
    const where = `${entry.module}.${entry.name}`;
    if (entry.kind !== "function") {
      throw new ModuleLoadError(`the harness does not support imported ${entry.kind} ${where}`);
    }
    const rtraceCall = entry.module === "rtrace" ? rtraceCalls?.[entry.name] : undefined;
    if (rtraceCall && entry.signature === RTRACE_FUNCTIONS[entry.name]) {
      (imports[entry.module] ??= {})[entry.name] = rtraceCall;
      continue;
    }
    const expected = specFor(entry.module, entry.name, abi);
    if (expected === undefined) {
      throw new ModuleLoadError(`Failed to load Wasm module due to a missing import: ${where}`);
    }
    if (entry.signature !== expected) {
      throw new ModuleLoadError(
        `import type mismatch: ${where} is ${expected} in Envoy, the module declares ${entry.signature}`,
      );
    }
    const implementation = IMPLEMENTED[entry.name];
    const isWasi = entry.module !== "env";
    const hasPath = entry.name === "proxy_get_property" || entry.name === "proxy_set_property";
    if (!implementation) throw new ModuleLoadError(`the harness does not implement ${where}`);
    (imports[entry.module] ??= {})[entry.name] = (...args: (number | bigint)[]) => {
      const target = vm();
      target.checkAllowed(entry.name);
      const context = target.context;
      const path = trace && hasPath ? tracedPath(target.memory, Number(args[0]), Number(args[1])) : undefined;
      let result: number | void;
      try {
        result = implementation(target, ...args);
      } catch (error) {
        if (!(error instanceof MemoryAccessError)) throw error;
        result = isWasi ? Errno.Fault : Status.InvalidMemoryAccess;
      }
      trace?.record({
        name: entry.name,
        args,
        result: result ?? undefined,
        contextId: context?.id ?? 0,
        context,
        callback: target.callback,
        ...(path === undefined ? {} : { path }),
      });
      return result;
    };
  }
  return imports;
}

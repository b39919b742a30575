// The differential runner: each case of a setup runs in real Envoy and in the harness, and the
// normalised observations are compared field by field.

import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type EnvoyLauncher } from "../e2e/support/envoy.js";
import { wat } from "../support/wat.js";
import { compare } from "./compare.js";
import { EnvoySide } from "./envoy-side.js";
import { HarnessSide } from "./harness-side.js";
import { type KnownDifference } from "./known-differences.js";
import { normalise, normaliseLogs } from "./normalise.js";
import { type FidelityCase, type FidelitySetup, type FieldResult } from "./types.js";

/** A compared field, and the known difference that excuses it when the values differ. */
export interface FieldOutcome extends FieldResult {
  known: KnownDifference | null;
}

/** The outcome of one case. */
export interface CaseOutcome {
  /** `<setup>/<case>`. */
  id: string;
  fields: FieldOutcome[];
  /** The fields that differ and are not known differences. */
  failures: FieldOutcome[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One setup in both hosts: start it, run its cases, stop it. */
export class FidelityRunner {
  private envoySide: EnvoySide | null = null;
  private harnessSide: HarnessSide | null = null;

  constructor(
    private readonly envoy: EnvoyLauncher,
    private readonly setup: FidelitySetup,
    private readonly root: string,
    private readonly known: readonly KnownDifference[],
  ) {}

  /** Loads the module in the harness and starts Envoy with the generated bootstrap (a WAT setup is compiled first). */
  async start(): Promise<void> {
    if (this.setup.wat !== undefined) {
      await mkdir(dirname(this.setup.wasm), { recursive: true });
      await writeFile(this.setup.wasm, wat(this.setup.wat));
    }
    this.harnessSide = await HarnessSide.load(this.setup);
    this.envoySide = new EnvoySide(this.envoy, this.setup, this.root);
    await this.envoySide.start();
  }

  /** Stops Envoy and its scripted servers. */
  async stop(): Promise<void> {
    await this.envoySide?.stop();
  }

  /** Everything Envoy printed, for a failure's message. */
  get envoyLog(): string {
    return this.envoySide?.log ?? "";
  }

  /** True when the plugin runs in both hosts, so its request cases can run. */
  get running(): boolean {
    return this.harnessSide!.loaded && this.envoySide!.loaded;
  }

  /** Compares whether both hosts accepted the plugin, and the log lines they printed loading it (`<setup>/startup`). */
  startup(): CaseOutcome {
    const harness = normaliseLogs(this.harnessSide!.startupLogs);
    const envoy = normaliseLogs(this.envoySide!.startupLogs);
    const loaded = { harness: this.harnessSide!.loaded, envoy: this.envoySide!.loaded };
    return this.outcome(`${this.setup.name}/startup`, [
      { field: "loaded", ...loaded, match: loaded.harness === loaded.envoy },
      { field: "logs", harness, envoy, match: same(harness, envoy) },
    ]);
  }

  /** Runs `testCase` in Envoy, then in the harness on the same connection, and compares them. */
  async run(testCase: FidelityCase): Promise<CaseOutcome> {
    const id = `${this.setup.name}/${testCase.name}`;
    const { observation, connection, worker } = await this.envoySide!.run(testCase);
    const harness = this.harnessSide!.run(testCase, connection, worker);
    return this.outcome(id, compare(normalise(harness, "harness"), normalise(observation, "envoy")));
  }

  // A difference is excused only by a known difference with exactly these values.
  private outcome(id: string, results: FieldResult[]): CaseOutcome {
    const fields = results.map((result) => {
      const known = this.known.find((k) => k.case === id && k.field === result.field) ?? null;
      const excused = known !== null && same(known.harness, result.harness) && same(known.envoy, result.envoy);
      return { ...result, known: !result.match && excused ? known : null };
    });
    return { id, fields, failures: fields.filter((f) => !f.match && !f.known) };
  }
}

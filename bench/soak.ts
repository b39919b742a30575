// `npm run soak [-- --requests N] [-- --sample-every M]`: the demo chain in the harness serves N
// requests (default 1,000,000) of a mix with documented answers (test/robustness/soak.ts), prints
// each filter's memory pages every M requests (default 100,000), and exits 1 on a trap, an
// unexpected answer, or growth beyond 2 pages from request 1,000 to the end.

import { failures, runSoak, sampleTable } from "../test/robustness/soak.js";

function numberOption(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1_000) throw new Error(`${name} needs an integer of at least 1000`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const requests = numberOption(argv, "--requests", 1_000_000);
  const sampleEvery = numberOption(argv, "--sample-every", 100_000);
  console.log(`soak: ${requests.toLocaleString("en-US")} requests through the demo chain (envoy-configs/demo.yaml)`);
  const report = await runSoak({
    requests,
    sampleEvery,
    onSample: (s) => console.log(`  ${s.requests.toLocaleString("en-US")} requests: ${JSON.stringify(s.pages)}`),
  });
  console.log("\nLinear memory pages (64 KiB) of each filter's worker instance:\n");
  console.log(sampleTable(report.samples));
  console.log(`\nrequests per kind: ${JSON.stringify(report.counts)}`);
  console.log(`growth from request 1,000: ${JSON.stringify(report.growth)} pages`);
  console.log(`access-log lines shipped ${report.linesShipped}, dropped ${report.linesDropped}`);
  const failed = failures(report);
  for (const reason of failed) console.error(`soak: ${reason}`);
  console.log(failed.length === 0 ? "soak: passed" : "soak: FAILED");
  return failed.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

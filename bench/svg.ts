// A horizontal bar chart of benchmark ratios as a standalone SVG, one bar per case, with each case's
// budget (bench/budget.json) drawn as a vertical mark across its bar; bars over budget are red.

import { type Case, NOT_FINITE, finiteRatio } from "./case.js";

const ROW = 22;
const LABEL = 300;
const PLOT = 420;
const VALUE = 60;
const TOP = 34;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A case's budget as the chart draws it: the bound, and whether the ratio must stay at or above it. */
export interface ChartLimit {
  bound: number;
  floor: boolean;
}

/** The SVG text of a bar chart titled `title` of `cases`' ratios, with `limit(name)` as each budget. */
export function ratioChart(
  title: string,
  cases: readonly Case[],
  limit: (name: string) => ChartLimit | undefined,
): string {
  // A case without a finite ratio gets no bar and says so.
  const scale =
    Math.max(1, ...cases.map((c) => finiteRatio(c) ?? 0), ...cases.map((c) => limit(c.name)?.bound ?? 0)) * 1.05;
  const x = (ratio: number) => LABEL + (ratio / scale) * PLOT;
  const height = TOP + cases.length * ROW + 24;
  const width = LABEL + PLOT + VALUE;
  const rows = cases.map((c, i) => {
    const y = TOP + i * ROW;
    const budget = limit(c.name);
    const max = budget?.bound;
    const ratio = finiteRatio(c);
    const over =
      ratio === null || (budget !== undefined && (budget.floor ? ratio < budget.bound : ratio > budget.bound));
    const bar = `<rect x="${LABEL}" y="${y + 4}" width="${(x(ratio ?? 0) - LABEL).toFixed(1)}" height="${ROW - 8}" fill="${over ? "#d9534f" : "#4a90d9"}"/>`;
    const mark =
      max === undefined
        ? ""
        : `<line x1="${x(max).toFixed(1)}" y1="${y + 1}" x2="${x(max).toFixed(1)}" y2="${y + ROW - 1}" stroke="#222" stroke-width="2"/>`;
    return [
      `<text x="${LABEL - 6}" y="${y + ROW - 7}" text-anchor="end">${escape(c.name)}</text>`,
      bar,
      mark,
      `<text x="${x(ratio ?? 0) + 4}" y="${y + ROW - 7}">${ratio?.toFixed(2) ?? NOT_FINITE}</text>`,
    ].join("");
  });
  const axis = TOP + cases.length * ROW;
  const one = `<line x1="${x(1).toFixed(1)}" y1="${TOP}" x2="${x(1).toFixed(1)}" y2="${axis}" stroke="#999" stroke-dasharray="3,3"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    one,
    ...rows,
    `<text x="${LABEL}" y="${axis + 16}" fill="#555">ratio to baseline (dashed: 1.0; black mark: budget; red: over budget)</text>`,
    "</svg>",
    "",
  ].join("\n");
}

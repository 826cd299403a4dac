// Reads the JSON lines of bench/run-bullmq.sh (both systems, every round) and prints the table:
// for each figure, each system's min–max and median over the rounds, and the ratio of the medians
// Sluice / BullMQ.
//
//   node table.mjs results.jsonl
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter((l) => l.trim().startsWith("{"))
  .map((l) => JSON.parse(l));

const figures = [
  ["enqueue / append (batches)", "fill-then-drain", "enqueuePerS"],
  ["drain / process", "fill-then-drain", "drainPerS"],
  ["fill + drain", "fill-then-drain", "fillDrainPerS"],
  ["end to end (enqueue while draining)", "end-to-end", "endToEndPerS"],
  ["single enqueue / append (1 per call)", "single-add", "enqueuePerS"],
];

const values = (system, phase, field) =>
  lines.filter((l) => l.system === system && l.phase === phase && typeof l[field] === "number")
    .map((l) => l[field])
    .sort((a, b) => a - b);

const median = (v) => (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
const n = (x) => Math.round(x).toLocaleString("en-US");
const range = (v) => (v.length ? `${n(v[0])}–${n(v[v.length - 1])} (median ${n(median(v))})` : "-");

const rows = [["figure (per second)", "BullMQ", "Sluice", "Sluice / BullMQ"]];
for (const [label, phase, field] of figures) {
  const b = values("bullmq", phase, field);
  const s = values("sluice", phase, field);
  if (!b.length && !s.length) continue;
  const ratio = b.length && s.length ? `${(median(s) / median(b)).toFixed(2)}x` : "-";
  rows.push([label, range(b), range(s), ratio]);
}
const loads = lines.map((l) => l.load1).filter((x) => typeof x === "number");
const rounds = Math.max(
  values("bullmq", "fill-then-drain", "drainPerS").length,
  values("sluice", "fill-then-drain", "drainPerS").length,
);

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const fmt = (r) => "| " + r.map((x, c) => x.padEnd(widths[c])).join(" | ") + " |";
console.log(fmt(rows[0]));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const r of rows.slice(1)) console.log(fmt(r));
console.log(
  `\n${rounds} round(s) each; 1-minute load average at the start of the runs: ` +
    (loads.length ? `${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}` : "-"),
);

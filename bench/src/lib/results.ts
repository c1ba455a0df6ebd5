import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from './benchmark.js';

/** bench/results/, found from this file whether it runs from src/ or dist/. */
export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Writes `<name>-<db>-<timestamp>.json` (kept as history) and `latest-<name>-<db>.json` (a stable
 * path for comparisons and CI artefacts). Returns both paths relative to the current directory.
 */
export function writeReport(report: BenchReport, dir: string = RESULTS_DIR): { file: string; latest: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(dir, `${report.benchmark}-${report.database}-${stamp}.json`);
  const latest = path.join(dir, `latest-${report.benchmark}-${report.database}.json`);
  writeAtomically(file, text);
  writeAtomically(latest, text);
  return { file: path.relative(process.cwd(), file), latest: path.relative(process.cwd(), latest) };
}

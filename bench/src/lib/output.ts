/** Report lines go to stdout; progress goes to stderr so that `npm run bench > report.md` stays clean. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function databaseLabel(kind: 'pglite' | 'postgres'): string {
  return kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
}

/** "3 measured rounds", "1 measured round". */
export function measuredRounds(rounds: number): string {
  return `${rounds} measured round${rounds === 1 ? '' : 's'}`;
}

/** How the load figures that follow came about: this run's load, or that of the run that made a reused database. */
export function loadedIn(dataset: { reused: boolean; migratedForward: boolean }): string {
  return dataset.reused ? `reused${dataset.migratedForward ? ' (and migrated forward)' : ''}; when it was made, loading took` : 'loaded in';
}

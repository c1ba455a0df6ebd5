/** Prints a GitHub-flavoured markdown table with padded columns (readable in a terminal and in a PR). */
export type Align = 'left' | 'right';

export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly Align[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, 3, ...rows.map((row) => (row[column] ?? '').length)));
  const alignOf = (column: number): Align => align?.[column] ?? (column === 0 ? 'left' : 'right');
  const pad = (text: string, column: number): string =>
    alignOf(column) === 'right' ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: readonly string[]): string => `| ${headers.map((_, column) => pad(cells[column] ?? '', column)).join(' | ')} |`;
  const rule = `|${headers.map((_, column) => (alignOf(column) === 'right' ? `${'-'.repeat((widths[column] ?? 3) + 1)}:` : `:${'-'.repeat((widths[column] ?? 3) + 1)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

import { parse } from 'csv-parse/sync';

/**
 * The CSV layout for landlords', hosts', employers' and collective households' reports (NG § 17),
 * documented in docs/exchange.md. Pure: text in, rows or the problems with their line numbers out.
 */

export const TENANCY_COLUMNS = ['reporter_kind', 'reporter_name', 'municipality_bfs', 'official_name', 'first_names', 'date_of_birth', 'street', 'house_number', 'egid', 'ewid', 'lease_start', 'lease_end'] as const;
const REQUIRED = new Set(['reporter_kind', 'reporter_name', 'municipality_bfs', 'official_name', 'first_names']);
const KINDS = ['landlord', 'host', 'collective-household', 'employer'] as const;
export const MAX_TENANCY_ROWS = 10_000;

export interface TenancyRow {
  line: number;
  reporterKind: (typeof KINDS)[number];
  reporterName: string;
  municipalityBfs: number;
  officialName: string;
  firstNames: string;
  dateOfBirth: string | null;
  street: string | null;
  houseNumber: string | null;
  egid: number | null;
  ewid: number | null;
  leaseStart: string | null;
  leaseEnd: string | null;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export type TenancyParse = { ok: true; rows: TenancyRow[] } | { ok: false; problems: CsvProblem[] };

/** '2026-03-01' or the Swiss '01.03.2026'; null when empty. */
function date(value: string, column: string, problems: string[]): string | null {
  if (value === '') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const swiss = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const [year, month, day] = iso ? [iso[1]!, iso[2]!, iso[3]!] : swiss ? [swiss[3]!, swiss[2]!.padStart(2, '0'), swiss[1]!.padStart(2, '0')] : [null, null, null];
  if (year === null) {
    problems.push(`${column}: "${value}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
    return null;
  }
  const text = `${year}-${month}-${day}`;
  const parsed = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    problems.push(`${column}: "${value}" is not a day of the calendar`);
    return null;
  }
  return text;
}

function integer(value: string, column: string, max: number, problems: string[]): number | null {
  if (value === '') return null;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    problems.push(`${column}: "${value}" is not a number between 1 and ${max}`);
    return null;
  }
  return Number(value);
}

/** The file as UTF-8 text (the layout's encoding); null when it is not, e.g. a Windows-1252 export. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function parseTenancyCsv(text: string): TenancyParse {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // Excel in Switzerland writes semicolons; others commas. The header line tells which.
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = firstLine.includes(';') ? ';' : ',';
    // `info` carries each record's line in the file (empty lines and quoted line breaks counted).
    parsed = parse(text.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 10_000, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { ok: false, problems: [{ line, message: (error as Error).message }] };
  }
  const records = parsed.map((entry) => entry.record);
  const header = (records[0] ?? []).map((name) => name.toLowerCase());
  const missing = TENANCY_COLUMNS.filter((column) => REQUIRED.has(column) && !header.includes(column));
  const unknown = header.filter((name) => !(TENANCY_COLUMNS as readonly string[]).includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    return { ok: false, problems: [{ line: 1, message: [missing.length ? `missing columns: ${missing.join(', ')}` : '', unknown.length ? `unknown columns: ${unknown.join(', ')}` : ''].filter(Boolean).join('; ') }] };
  }
  if (records.length - 1 > MAX_TENANCY_ROWS) return { ok: false, problems: [{ line: MAX_TENANCY_ROWS + 2, message: `more than ${MAX_TENANCY_ROWS} reports in one file` }] };
  if (records.length < 2) return { ok: false, problems: [{ line: 2, message: 'no reports in the file' }] };
  const rows: TenancyRow[] = [];
  const problems: CsvProblem[] = [];
  records.slice(1).forEach((record, index) => {
    const line = parsed[index + 1]!.info.lines;
    const field = (column: (typeof TENANCY_COLUMNS)[number]) => record[header.indexOf(column)] ?? '';
    const rowProblems: string[] = [];
    for (const column of REQUIRED) if (field(column as (typeof TENANCY_COLUMNS)[number]) === '') rowProblems.push(`${column} is empty`);
    const kind = field('reporter_kind');
    if (kind !== '' && !(KINDS as readonly string[]).includes(kind)) rowProblems.push(`reporter_kind: "${kind}" is not one of ${KINDS.join(', ')}`);
    for (const column of ['reporter_name', 'official_name', 'first_names', 'street', 'house_number'] as const) if (field(column).length > 200) rowProblems.push(`${column} is longer than 200 characters`);
    const row: TenancyRow = {
      line,
      reporterKind: kind as TenancyRow['reporterKind'],
      reporterName: field('reporter_name'),
      municipalityBfs: integer(field('municipality_bfs'), 'municipality_bfs', 9999, rowProblems) ?? 0,
      officialName: field('official_name'),
      firstNames: field('first_names'),
      dateOfBirth: date(field('date_of_birth'), 'date_of_birth', rowProblems),
      street: field('street') || null,
      houseNumber: field('house_number') || null,
      egid: integer(field('egid'), 'egid', 999_999_999, rowProblems),
      ewid: integer(field('ewid'), 'ewid', 999, rowProblems),
      leaseStart: date(field('lease_start'), 'lease_start', rowProblems),
      leaseEnd: date(field('lease_end'), 'lease_end', rowProblems),
    };
    if (row.leaseStart && row.leaseEnd && row.leaseEnd < row.leaseStart) rowProblems.push('lease_end is before lease_start');
    if (rowProblems.length > 0) problems.push(...rowProblems.map((message) => ({ line, message })));
    else rows.push(row);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

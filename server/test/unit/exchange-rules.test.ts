import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttempt } from '../../src/modules/exchange/rules/delivery.js';
import { MAX_TENANCY_ROWS, TENANCY_COLUMNS, parseTenancyCsv, type TenancyParse } from '../../src/modules/exchange/rules/tenancy-csv.js';

/** The pure rules of the exchange: when to try a delivery again, and the landlords' CSV layout. */

const SECOND = 1000;
const HOUR = 3600 * SECOND;

describe('nextAttempt (outbox backoff)', () => {
  const now = new Date('2026-11-20T10:00:00.000Z');
  const delayAfter = (attempts: number) => {
    const next = nextAttempt(attempts, now);
    return next === null ? null : next.getTime() - now.getTime();
  };

  it('waits 30 s after the first failed attempt, then doubles', () => {
    expect(delayAfter(1)).toBe(30 * SECOND);
    expect(delayAfter(2)).toBe(60 * SECOND);
    expect(delayAfter(3)).toBe(120 * SECOND);
    expect(delayAfter(4)).toBe(240 * SECOND);
    for (let attempts = 2; attempts <= 10; attempts++) expect(delayAfter(attempts)).toBe(2 * delayAfter(attempts - 1)!);
  });

  it('never waits longer than 6 hours between attempts', () => {
    expect(delayAfter(10)).toBe(30 * SECOND * 2 ** 9);
    expect(delayAfter(11)).toBe(6 * HOUR);
    for (let attempts = 0; attempts < MAX_ATTEMPTS; attempts++) expect(delayAfter(attempts)).toBeLessThanOrEqual(6 * HOUR);
  });

  it('treats "no attempt yet" like the first failure instead of waiting less', () => {
    expect(delayAfter(0)).toBe(30 * SECOND);
  });

  it('gives up after MAX_ATTEMPTS (15) attempts', () => {
    expect(MAX_ATTEMPTS).toBe(15);
    expect(nextAttempt(MAX_ATTEMPTS - 1, now)).not.toBeNull();
    expect(nextAttempt(MAX_ATTEMPTS, now)).toBeNull();
    expect(nextAttempt(MAX_ATTEMPTS + 5, now)).toBeNull();
  });

  it('leaves the clock it was given alone', () => {
    const clock = new Date(now);
    nextAttempt(3, clock);
    expect(clock.getTime()).toBe(now.getTime());
  });

  it('keeps trying for about a day and a half, as delivery.ts documents', () => {
    // From the first attempt to the last one (the 12th, after which the message has failed).
    let total = 0;
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) total += delayAfter(attempts)!;
    // "after 12 attempts (about a day and a half) the delivery has failed": 30 to 42 hours.
    expect(total / HOUR).toBeGreaterThanOrEqual(30);
    expect(total / HOUR).toBeLessThanOrEqual(42);
  });
});

const HEADER = 'reporter_kind;reporter_name;municipality_bfs;official_name;first_names;date_of_birth;street;house_number;egid;ewid;lease_start;lease_end';
const ROW = 'landlord;Wohnbau AG;1061;Muster;Anna;12.04.1990;Obergrundstrasse;12;190000001;2;01.11.2026;';

function rowsOf(result: TenancyParse) {
  if (!result.ok) throw new Error(`expected rows, got problems: ${JSON.stringify(result.problems)}`);
  return result.rows;
}

function problemsOf(result: TenancyParse) {
  if (result.ok) throw new Error('expected problems, got rows');
  return result.problems;
}

describe('parseTenancyCsv (landlords’ reports, NG § 17)', () => {
  it('reads a semicolon file (Swiss Excel) with every column', () => {
    const rows = rowsOf(parseTenancyCsv(`${HEADER}\n${ROW}\n`));
    expect(rows).toEqual([
      {
        line: 2,
        reporterKind: 'landlord',
        reporterName: 'Wohnbau AG',
        municipalityBfs: 1061,
        officialName: 'Muster',
        firstNames: 'Anna',
        dateOfBirth: '1990-04-12',
        street: 'Obergrundstrasse',
        houseNumber: '12',
        egid: 190000001,
        ewid: 2,
        leaseStart: '2026-11-01',
        leaseEnd: null,
      },
    ]);
  });

  it('reads a comma file with CRLF line ends, quoted fields and only the required columns, in any order', () => {
    const text = 'first_names,official_name,municipality_bfs,reporter_name,reporter_kind\r\nAnna,Muster,1059,"Heim; Pflege & Co",collective-household\r\n"Jean, Marc",Dupont,1061,Hotel Rigi,host\r\n';
    const rows = rowsOf(parseTenancyCsv(text));
    expect(rows.map((r) => [r.line, r.reporterKind, r.reporterName, r.municipalityBfs, r.officialName, r.firstNames])).toEqual([
      [2, 'collective-household', 'Heim; Pflege & Co', 1059, 'Muster', 'Anna'],
      [3, 'host', 'Hotel Rigi', 1061, 'Dupont', 'Jean, Marc'],
    ]);
    expect(rows[0]).toMatchObject({ dateOfBirth: null, street: null, houseNumber: null, egid: null, ewid: null, leaseStart: null, leaseEnd: null });
  });

  it('ignores a byte order mark, upper-case column names and blanks around values', () => {
    const text = `\uFEFF${HEADER.toUpperCase()}\n employer ; Bau AG ; 1061 ; Muster ; Anna ;;;;;;;\n`;
    expect(rowsOf(parseTenancyCsv(text))).toMatchObject([{ reporterKind: 'employer', reporterName: 'Bau AG', municipalityBfs: 1061, officialName: 'Muster', firstNames: 'Anna' }]);
    const commas = `\uFEFF${HEADER.replaceAll(';', ',')}\n${ROW.replaceAll(';', ',')}\n`;
    expect(rowsOf(parseTenancyCsv(commas))).toHaveLength(1);
  });

  it('names missing and unknown columns on line 1', () => {
    const missing = problemsOf(parseTenancyCsv('reporter_kind;reporter_name;official_name\nlandlord;A;Muster\n'));
    expect(missing).toEqual([{ line: 1, message: 'missing columns: municipality_bfs, first_names' }]);
    const unknown = problemsOf(parseTenancyCsv(`${HEADER};remarks;phone\n${ROW};x;y\n`));
    expect(unknown).toEqual([{ line: 1, message: 'unknown columns: remarks, phone' }]);
    const both = problemsOf(parseTenancyCsv('reporter_kind;name\nlandlord;A\n'));
    expect(both).toHaveLength(1);
    expect(both[0]!.message).toMatch(/^missing columns: reporter_name, municipality_bfs, official_name, first_names; unknown columns: name$/);
  });

  it('refuses an empty file and a file with only the header', () => {
    expect(problemsOf(parseTenancyCsv(''))[0]).toMatchObject({ line: 1, message: expect.stringContaining('missing columns') as unknown });
    expect(problemsOf(parseTenancyCsv(`${HEADER}\n`))).toEqual([{ line: 2, message: 'no reports in the file' }]);
    expect(problemsOf(parseTenancyCsv(`${HEADER}\n\n\n`))).toEqual([{ line: 2, message: 'no reports in the file' }]);
  });

  it('takes ISO and Swiss dates (with or without leading zeros) and refuses what is not a day', () => {
    const line = (dateOfBirth: string, leaseStart = '', leaseEnd = '') => `${HEADER}\nhost;Hotel;1061;Muster;Anna;${dateOfBirth};;;;;${leaseStart};${leaseEnd}\n`;
    expect(rowsOf(parseTenancyCsv(line('1990-04-12')))[0]!.dateOfBirth).toBe('1990-04-12');
    expect(rowsOf(parseTenancyCsv(line('1.3.1990')))[0]!.dateOfBirth).toBe('1990-03-01');
    expect(rowsOf(parseTenancyCsv(line('29.02.2024')))[0]!.dateOfBirth).toBe('2024-02-29');
    expect(problemsOf(parseTenancyCsv(line('29.02.2026')))).toEqual([{ line: 2, message: 'date_of_birth: "29.02.2026" is not a day of the calendar' }]);
    expect(problemsOf(parseTenancyCsv(line('2026-13-01')))).toEqual([{ line: 2, message: 'date_of_birth: "2026-13-01" is not a day of the calendar' }]);
    expect(problemsOf(parseTenancyCsv(line('12/04/1990')))).toEqual([{ line: 2, message: 'date_of_birth: "12/04/1990" is not a date (YYYY-MM-DD or DD.MM.YYYY)' }]);
    expect(problemsOf(parseTenancyCsv(line('', '2026-11-01', '31.10.2026')))).toEqual([{ line: 2, message: 'lease_end is before lease_start' }]);
    expect(rowsOf(parseTenancyCsv(line('', '2026-11-01', '01.11.2026')))[0]).toMatchObject({ leaseStart: '2026-11-01', leaseEnd: '2026-11-01' });
  });

  it('checks each row and reports every problem with its line', () => {
    const text = [
      HEADER,
      ROW,
      'tenant;Wohnbau AG;1061;Muster;Anna;;;;;;;',
      'landlord;;0;Muster;;;;;0;1000;;',
      `host;${'x'.repeat(201)};1061;Muster;Anna;;;;12a;;;`,
      ROW,
    ].join('\n');
    expect(problemsOf(parseTenancyCsv(text))).toEqual([
      { line: 3, message: 'reporter_kind: "tenant" is not one of landlord, host, collective-household, employer' },
      { line: 4, message: 'reporter_name is empty' },
      { line: 4, message: 'first_names is empty' },
      { line: 4, message: 'municipality_bfs: "0" is not a number between 1 and 9999' },
      { line: 4, message: 'egid: "0" is not a number between 1 and 999999999' },
      { line: 4, message: 'ewid: "1000" is not a number between 1 and 999' },
      { line: 5, message: 'reporter_name is longer than 200 characters' },
      { line: 5, message: 'egid: "12a" is not a number between 1 and 999999999' },
    ]);
  });

  it('reports a broken quote as a problem instead of throwing', () => {
    const problems = problemsOf(parseTenancyCsv(`${HEADER}\nlandlord;"Wohnbau AG;1061;Muster;Anna;;;;;;;\n`));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/quote/i);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('counts lines as the file has them, also after an empty line', () => {
    // Line 3 is empty; the bad row is line 4 of the file, where a person opening it will look.
    const text = `${HEADER}\n${ROW}\n\ntenant;Wohnbau AG;1061;Muster;Anna;;;;;;;\n`;
    expect(problemsOf(parseTenancyCsv(text))).toEqual([{ line: 4, message: 'reporter_kind: "tenant" is not one of landlord, host, collective-household, employer' }]);
  });

  it('counts lines as the file has them, also after a quoted value that spans two lines', () => {
    const text = `${HEADER}\nlandlord;"Wohnbau AG\nAbteilung Vermietung";1061;Muster;Anna;;;;;;;\ntenant;Wohnbau AG;1061;Muster;Anna;;;;;;;\n`;
    expect(problemsOf(parseTenancyCsv(text))).toEqual([{ line: 4, message: 'reporter_kind: "tenant" is not one of landlord, host, collective-household, employer' }]);
  });

  it(`takes up to ${MAX_TENANCY_ROWS} reports in one file and refuses more`, () => {
    const rows = (n: number) => `${HEADER}\n${Array.from({ length: n }, () => ROW).join('\n')}\n`;
    expect(rowsOf(parseTenancyCsv(rows(MAX_TENANCY_ROWS)))).toHaveLength(MAX_TENANCY_ROWS);
    expect(problemsOf(parseTenancyCsv(rows(MAX_TENANCY_ROWS + 1)))).toEqual([{ line: MAX_TENANCY_ROWS + 2, message: `more than ${MAX_TENANCY_ROWS} reports in one file` }]);
  });

  it('refuses a line longer than 10,000 characters with its line number', () => {
    const problems = problemsOf(parseTenancyCsv(`${HEADER}\n${ROW}\nlandlord;${'x'.repeat(10_050)};1061;Muster;Anna;;;;;;;\n`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, message: expect.stringMatching(/max record size/i) as unknown });
  });

  it('documents its columns in the order of the layout', () => {
    expect(TENANCY_COLUMNS).toEqual(HEADER.split(';'));
  });
});

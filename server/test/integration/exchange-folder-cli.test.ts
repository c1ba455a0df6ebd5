import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { exchangeActor, processDropFolder, receiveMessage, validateXml, type Office } from '../../src/modules/exchange/index.js';
import { countries } from '../../src/modules/exchange/countries.js';
import { own } from '../../src/modules/exchange/repository.js';
import { readMessage } from '../../src/modules/exchange/rules/ech0020-read.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, type TestTenant } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';
import { key, message, personData, residenceIn } from '../support/ech.js';

/**
 * The drop folder a transport (sedex) delivers into, and the command line: files become inbox
 * messages exactly once, and leave the folder only after their message is stored.
 */

const MAX_BYTES = 5 * 1024 * 1024;
const REPORTS = 'reporter_kind;reporter_name;municipality_bfs;official_name;first_names;date_of_birth;street;house_number;lease_start\nlandlord;Wohnbau AG;1061;Muster;Anna;12.04.1990;Obergrundstrasse;12;01.11.2026\nhost;Hotel Rigi;1059;Dupont;Jean;;;;\n';

function moveIn(officialName: string, bfs = 1061, town = 'Luzern'): { xml: string; messageId: string } {
  return message({ type: 'moveIn', person: personData(key({ officialName, firstNames: 'Rita' })), residence: residenceIn(bfs, town, '2026-11-01') });
}

/** Writes files with increasing modification times, so that the folder's order is theirs. */
function drop(folder: string, files: [string, string][]): void {
  const base = Date.now() / 1000 - 3600;
  files.forEach(([name, content], index) => {
    const file = path.join(folder, name);
    writeFileSync(file, content);
    utimesSync(file, base + index, base + index);
  });
}

function waiting(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

describe.each(DATABASE_KINDS)('exchange drop folder on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let office: Office;
  let root: string;
  let folder: string;

  async function personsNamed(officialName: string): Promise<string[]> {
    return (await database.db.selectFrom('persons').select('id').where('tenant_id', '=', tenant.id).where('official_name', '=', officialName).execute()).map((row) => row.id);
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // The app wires the register's changes to the exchange, as the server and the CLI do.
    app = await buildTestApp(database);
    tenant = await createTenant(database.db, 'drop-office');
    await createTenant(database.db, 'no-folder-office');
    office = { id: tenant.id, slug: tenant.slug, name: `Office ${tenant.slug}` };
    root = mkdtempSync(path.join(tmpdir(), 'mf-drop-'));
    folder = path.join(root, 'drop-office');
    mkdirSync(folder);
    // A folder whose name is no office's is left alone.
    mkdirSync(path.join(root, 'unknown-office'));
    writeFileSync(path.join(root, 'unknown-office', 'stray.xml'), moveIn('Niemand').xml);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('applies, quarantines and applies three files in their order, and moves them to processed/', async () => {
    const valid = moveIn('Ordner');
    drop(folder, [
      ['move-in.xml', valid.xml],
      ['broken.xml', '<?xml version="1.0"?><delivery><deliveryHeader>'],
      ['reports.csv', REPORTS],
    ]);
    // Not yet complete, or not a message: left where they are.
    writeFileSync(path.join(folder, 'arriving.xml.part'), '<?xml');
    writeFileSync(path.join(folder, '.hidden.xml'), '<?xml');
    writeFileSync(path.join(folder, 'readme.txt'), 'hello');

    const results = await processDropFolder(database.db, root, MAX_BYTES);
    expect(results.map((r) => [r.file, r.outcome.outcome])).toEqual([
      ['move-in.xml', 'applied'],
      ['broken.xml', 'quarantined'],
      ['reports.csv', 'applied'],
    ]);
    expect(results[0]!.outcome).toMatchObject({ messageId: valid.messageId, eventType: 'moveIn' });
    expect(results[1]!.outcome).toMatchObject({ reason: { code: 'exchange-not-xml' } });
    expect(results[2]!.outcome).toMatchObject({ eventType: 'tenancyReport', eventCount: 2 });

    expect(waiting(folder)).toEqual(['.hidden.xml', 'arriving.xml.part', 'readme.txt']);
    expect(readdirSync(path.join(folder, 'processed')).sort()).toEqual(['broken.xml', 'move-in.xml', 'reports.csv']);
    expect(existsSync(path.join(root, 'unknown-office', 'stray.xml'))).toBe(true);
    expect(existsSync(path.join(root, 'no-folder-office'))).toBe(false);

    expect(await personsNamed('Ordner')).toHaveLength(1);
    const inbox = await own(database.db).selectFrom('exchange_inbox').select(['file_name', 'channel', 'status', 'standard']).where('tenant_id', '=', tenant.id).orderBy('received_at').execute();
    expect(inbox).toEqual([
      { file_name: 'move-in.xml', channel: 'folder', status: 'applied', standard: 'eCH-0020' },
      { file_name: 'broken.xml', channel: 'folder', status: 'quarantined', standard: 'unknown' },
      { file_name: 'reports.csv', channel: 'folder', status: 'applied', standard: 'tenancy-csv' },
    ]);
    const reports = await database.db.selectFrom('tenancy_reports').select(['official_name', 'municipality_bfs', 'lease_start']).where('tenant_id', '=', tenant.id).orderBy('official_name').execute();
    expect(reports).toEqual([
      { official_name: 'Dupont', municipality_bfs: 1059, lease_start: null },
      { official_name: 'Muster', municipality_bfs: 1061, lease_start: '2026-11-01' },
    ]);

    // A second look finds nothing to do.
    expect(await processDropFolder(database.db, root, MAX_BYTES)).toEqual([]);
    expect(await own(database.db).selectFrom('exchange_inbox').select('id').where('tenant_id', '=', tenant.id).execute()).toHaveLength(3);
  });

  it('takes a file dropped again after it was processed as a duplicate', async () => {
    copyFileSync(path.join(folder, 'processed', 'move-in.xml'), path.join(folder, 'move-in.xml'));
    copyFileSync(path.join(folder, 'processed', 'reports.csv'), path.join(folder, 'reports-again.csv'));
    const results = await processDropFolder(database.db, root, MAX_BYTES);
    expect(results.map((r) => [r.file, r.outcome.outcome])).toEqual([
      ['move-in.xml', 'duplicate'],
      ['reports-again.csv', 'duplicate'],
    ]);
    expect(results[0]!.outcome).toMatchObject({ status: 'applied' });
    expect(await personsNamed('Ordner')).toHaveLength(1);
    expect(await database.db.selectFrom('tenancy_reports').select('id').where('tenant_id', '=', tenant.id).execute()).toHaveLength(2);
    expect(waiting(folder).filter((name) => /\.(xml|csv)$/.test(name) && !name.startsWith('.'))).toEqual([]);
  });

  it('applies a message once when the process died after storing it and before moving its file', async () => {
    const crash = moveIn('Absturz');
    drop(folder, [['crash.xml', crash.xml]]);
    // The first process stored the message (on the folder channel, as the watcher does) and died before moving the file.
    const bytes = readFileSync(path.join(folder, 'crash.xml'));
    const stored = await receiveMessage(database.db, { office, bytes, channel: 'folder', partner: null, fileName: 'crash.xml', context: { actor: exchangeActor(office, 'folder'), requestId: 'folder:crash.xml' } });
    expect(stored.outcome).toBe('applied');
    expect(waiting(folder)).toContain('crash.xml');

    const results = await processDropFolder(database.db, root, MAX_BYTES);
    expect(results.map((r) => [r.file, r.outcome.outcome])).toEqual([['crash.xml', 'duplicate']]);
    expect(await personsNamed('Absturz')).toHaveLength(1);
    expect(existsSync(path.join(folder, 'processed', 'crash.xml'))).toBe(true);
    expect(waiting(folder)).not.toContain('crash.xml');
  });

  it('leaves a file bigger than the limit in the folder and says why', async () => {
    const big = moveIn('Zugross');
    drop(folder, [['big.xml', big.xml]]);
    await expect(processDropFolder(database.db, root, 1024)).rejects.toThrow(/big\.xml is \d+ bytes; the largest message taken is 1024 bytes/);
    expect(waiting(folder)).toContain('big.xml');
    expect(await personsNamed('Zugross')).toEqual([]);
    rmSync(path.join(folder, 'big.xml'));
  });
});

// The command line runs the built server against its own embedded database in a temporary DATA_DIR.
// Seeding the demo office takes a while in its own process: it starts when this file loads, and runs
// while the drop-folder tests above use the test database.
const dataDir = mkdtempSync(path.join(tmpdir(), 'mf-cli-exchange-'));
const env = { DATA_DIR: dataDir };
const seeding = runCli(['seed', '--demo'], env, 120_000);

describe('exchange command line (embedded database)', () => {
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mf-cli-files-'));
    const seeded = await seeding;
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/Loaded the demo office with \d+ persons/);
  }, 120_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('imports eCH-0020 files: one line per file with message id and outcome, exit code 2 when one was held', async () => {
    const valid = moveIn('Kommandozeile');
    const invalid = moveIn('Schemafehler');
    const a = path.join(work, 'a.xml');
    const b = path.join(work, 'b.xml');
    writeFileSync(a, valid.xml);
    writeFileSync(b, invalid.xml.replace('<eCH-0020:moveIn>', '<eCH-0020:moveIn><eCH-0020:unexpected/>'));
    const result = await runCli(['import', 'ech0020', a, b, a, '--tenant', 'demo'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`${a}: ${valid.messageId} applied (moveIn, 1 event(s), 1 person(s))`);
    expect(lines[1]).toMatch(new RegExp(`^${b}: ${invalid.messageId} held in quarantine: .+`));
    expect(lines[2]).toBe(`${a}: ${valid.messageId} seen before (applied); not applied again`);
    expect(lines[3]).toBe('1 of 3 message(s) held in quarantine; see Exchange → Quarantine in the web app.');
  });

  it('imports landlords’ reports from CSV files', async () => {
    const good = path.join(work, 'reports.csv');
    const bad = path.join(work, 'bad.csv');
    writeFileSync(good, REPORTS);
    writeFileSync(bad, 'reporter_kind;name\nlandlord;A\n');
    const result = await runCli(['import', 'tenancy-reports', good, bad, '--tenant', 'demo'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${good}: sha256:[0-9a-f]{64} applied \\(tenancyReport, 2 event\\(s\\), 0 person\\(s\\)\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^${bad}: sha256:[0-9a-f]{64} held in quarantine: .*line 1`));
  });

  it('exports the demo office as a base delivery that validates and holds the imported person', async () => {
    const out = path.join(work, 'export');
    const result = await runCli(['exchange', 'export', '--tenant', 'demo', '--out', out], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const wrote = /Wrote (\d+) persons in 1 file\(s\)/.exec(result.stdout);
    expect(wrote).not.toBeNull();
    expect(readdirSync(out)).toEqual(['base-delivery-0001.xml']);
    const xml = readFileSync(path.join(out, 'base-delivery-0001.xml'));
    const validation = validateXml(xml);
    expect(validation.valid, JSON.stringify(validation).slice(0, 2000)).toBe(true);
    const read = readMessage(xml.toString('utf8'), countries());
    if (read.kind !== 'delivery' || read.delivery.event.type !== 'baseDelivery') throw new Error('expected a base delivery');
    expect(read.delivery.header.senderId).toBe('migraflow-demo');
    expect(read.delivery.event.entries).toHaveLength(Number(wrote![1]));
    expect(read.delivery.event.entries.some((entry) => entry.person.names.officialName === 'Kommandozeile')).toBe(true);
  });
});

import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS, fromPGlite, fromPostgres } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { adminUrl, databaseUrlFor } from './urls.js';
import pg from 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    postgresTemplate: string | null;
    runId: string;
  }
}

/**
 * Migrates once per run: a PGlite dump that every test file loads (1–2 s instead of 5–7 s for a
 * fresh instance), and on PostgreSQL a template database that each test file copies.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex');
  const dir = mkdtempSync(path.join(tmpdir(), 'migraflow-test-'));

  const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  const database = fromPGlite(pglite);
  await migrate(database.db);
  const dump = await pglite.dumpDataDir('none');
  const dumpFile = path.join(dir, 'migrated.tar');
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await database.close();

  let template: string | null = null;
  const url = process.env.DATABASE_URL;
  if (url) {
    template = `mf_tmpl_${runId}`;
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const templateDb = fromPostgres(databaseUrlFor(url, template), 2);
    await migrate(templateDb.db);
    await templateDb.close();
  }

  project.provide('pgliteDump', dumpFile);
  project.provide('postgresTemplate', template);
  project.provide('runId', runId);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url && template) {
      const admin = new pg.Client({ connectionString: adminUrl(url) });
      await admin.connect();
      const leftovers = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`mf_t_${runId}_%`, template]);
      for (const row of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      await admin.end();
    }
  };
}

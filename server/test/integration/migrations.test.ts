import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';
import { migrate, readMigrations } from '../../src/platform/db/migrate.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('records every migration with its checksum, and a second run applies nothing', async () => {
    const files = readMigrations();
    const rows = await database.db.selectFrom('schema_migrations').select(['name', 'checksum']).orderBy('name').execute();
    expect(rows).toEqual(files.map((file) => ({ name: file.name, checksum: file.checksum })));
    expect(await migrate(database.db)).toEqual([]);
  });

  it('refuses an applied migration whose file was edited', async () => {
    const files = readMigrations();
    const edited = files.map((file, index) => (index === 0 ? { ...file, checksum: 'edited', sql: file.sql + '\n-- edited' } : file));
    await expect(migrate(database.db, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('refuses a database migrated by a newer version', async () => {
    const files = readMigrations();
    await expect(migrate(database.db, files.slice(0, -1))).rejects.toThrow(/newer MigraFlow/);
  });

  it('applies a new migration in one transaction, or not at all', async () => {
    const files = readMigrations();
    const broken = { name: '9999_broken', checksum: 'x', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' };
    await expect(migrate(database.db, [...files, broken])).rejects.toThrow(/9999_broken failed/);
    const table = await sql<{ exists: boolean }>`SELECT to_regclass('half_done') IS NOT NULL AS exists`.execute(database.db);
    expect(table.rows[0]?.exists).toBe(false);
  });

  it('has the search extensions, with an immutable folding function', async () => {
    const extensions = await sql<{ extname: string }>`SELECT extname FROM pg_extension ORDER BY extname`.execute(database.db);
    expect(extensions.rows.map((row) => row.extname)).toEqual(expect.arrayContaining(['fuzzystrmatch', 'pg_trgm', 'unaccent']));
    const folded = await sql<{ folded: string; sound: string }>`SELECT mf_fold('Kovačević Gonçalves ÖZDEMIR') AS folded, soundex('Meier') AS sound`.execute(database.db);
    expect(folded.rows[0]?.folded).toBe('kovacevic goncalves ozdemir');
    expect(folded.rows[0]?.sound).toBe('M600');
  });
});

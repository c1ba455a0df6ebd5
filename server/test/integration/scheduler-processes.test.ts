import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { createTenant } from '../support/fixtures.js';
import { databaseUrlFor } from '../support/urls.js';

const DEADLINES = 6000;

// Several server processes share one PostgreSQL; PGlite is one process by design, so this runs on PostgreSQL only.
describe.each(DATABASE_KINDS.filter((kind) => kind === 'postgres'))('the deadline scheduler in two processes on %s', (kind) => {
  let database: Database;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const name = (await sql<{ name: string }>`SELECT current_database() AS name`.execute(database.db)).rows[0]!.name;
    url = databaseUrlFor(process.env.DATABASE_URL!, name);
    const tenant = await createTenant(database.db, 'office-scheduler');
    // Deadlines due over the last weeks, each with its reminder due: one stage to fire per deadline.
    await sql`
      INSERT INTO deadlines (tenant_id, kind, legal_basis, due_date, working_due_date, source, unit_id, reminder_days, escalation_days, next_fire_at)
      SELECT ${tenant.id}, 'papers-due', 'test', d, d, 'test:' || n, ${tenant.units.aufenthalt}, 3, 400, d - 3 + time '06:00'
        FROM generate_series(1, ${DEADLINES}) AS n, LATERAL (SELECT DATE '2026-12-01' + (n % 20) AS d) AS due`.execute(database.db);
  });

  afterAll(async () => {
    await database.close();
  });

  it('fires every deadline exactly once when two scheduler processes run at the same time', async () => {
    const env = { DATABASE_URL: url };
    const args = (worker: string) => ['scheduler', '--worker', worker, '--batch', '20', '--now', '2026-12-31T12:00:00Z'];
    const [first, second] = await Promise.all([runCli(args('first'), env, 300_000), runCli(args('second'), env, 300_000)]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const fired = (output: string) => Number(/Fired (\d+) deadline stages/.exec(output)?.[1] ?? NaN);
    expect(fired(first.stdout) + fired(second.stdout)).toBe(DEADLINES);

    const perDeadline = await sql<{ firings: number; deadlines: number }>`
      SELECT firings::int, count(*)::int AS deadlines FROM (SELECT d.id, count(f.id) AS firings FROM deadlines d LEFT JOIN deadline_firings f ON f.deadline_id = d.id GROUP BY d.id) AS x GROUP BY firings`.execute(database.db);
    expect(perDeadline.rows).toEqual([{ firings: 1, deadlines: DEADLINES }]);
    const notifications = await sql<{ count: number }>`SELECT count(*)::int AS count FROM notifications`.execute(database.db);
    expect(notifications.rows[0]?.count).toBe(DEADLINES);
    // Both really worked: the locks, not luck of timing, kept them apart.
    const workers = await sql<{ worker: string; count: number }>`SELECT worker, count(*)::int AS count FROM deadline_firings GROUP BY worker ORDER BY worker`.execute(database.db);
    expect(workers.rows.map((row) => row.worker)).toEqual(['first', 'second']);

    // A second pass finds nothing left to do: the stages moved on durably.
    const again = await runCli(args('third'), env, 120_000);
    expect(fired(again.stdout)).toBe(0);
  });
});

import type { Kysely, Transaction } from 'kysely';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Trx = Transaction<Tables>;

/**
 * Runs one command in one transaction: everything it writes commits together or not at all.
 * Inside `work` use only `trx` — touching the outer handle deadlocks on PGlite's single connection.
 */
export function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

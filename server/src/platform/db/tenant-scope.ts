import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, PostgresDialect, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import type { PostgresDialectConfig } from 'kysely';

/**
 * The office (tenant) whose data the current piece of work may touch, carried through async calls.
 *
 * Every request of a signed-in actor runs inside a scope of the actor's office; the database
 * driver below then hands out connections that run as the role `migraflow_tenant` with
 * `mf.tenant` set, so PostgreSQL's row-level security (migration 0007) hides every other office's
 * rows even from a query that forgot its tenant filter. Work outside a request (migrations,
 * scheduler, CLI, sign-in) has no scope and runs as the connecting role, which the policies do not
 * restrict — the application's own filters are the first line there.
 */
interface Scope {
  tenantId: string | null;
}

const storage = new AsyncLocalStorage<Scope>();

/** The office of the current scope, or null outside one. */
export function currentTenantScope(): string | null {
  return storage.getStore()?.tenantId ?? null;
}

/** Runs `work` (and everything it awaits) as work of one office. */
export function withTenantScope<T>(tenantId: string, work: () => T): T {
  return storage.run({ tenantId }, work);
}

/** Runs `work` without an office scope, for the few reviewed places that must read across offices. */
export function withoutTenantScope<T>(work: () => T): T {
  return storage.run({ tenantId: null }, work);
}

// Session-level settings (not SET LOCAL): they also cover queries outside a transaction, and are
// changed only when a connection moves to another scope (e.g. from a request's unscoped session
// lookup to its scoped handler: decision 0004 says what that costs).
const ENTER_SCOPE = `SELECT set_config('role', 'migraflow_tenant', false), set_config('mf.tenant', $1, false)`;
const LEAVE_SCOPE = `SELECT set_config('role', 'none', false), set_config('mf.tenant', '', false)`;

/** Wraps a driver so that every connection it hands out matches the scope of the caller. */
class TenantScopedDriver implements Driver {
  // What each pooled connection was last set to; a connection not in the map has never been scoped.
  readonly #applied = new WeakMap<DatabaseConnection, string>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    const wanted = currentTenantScope() ?? '';
    if ((this.#applied.get(connection) ?? '') !== wanted) {
      try {
        await connection.executeQuery(wanted ? CompiledQuery.raw(ENTER_SCOPE, [wanted]) : CompiledQuery.raw(LEAVE_SCOPE));
      } catch (error) {
        await this.inner.releaseConnection(connection);
        throw error;
      }
      this.#applied.set(connection, wanted);
    }
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2]): Promise<void> {
    await this.inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2]): Promise<void> {
    await this.inner.releaseSavepoint?.(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The PostgreSQL dialect (for PostgreSQL and PGlite alike) with tenant-scoped connections. */
export function tenantScopedDialect(config: PostgresDialectConfig): Dialect {
  const base = new PostgresDialect(config);
  return {
    createAdapter: () => base.createAdapter(),
    createDriver: () => new TenantScopedDriver(base.createDriver()),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (db) => base.createIntrospector(db),
  };
}

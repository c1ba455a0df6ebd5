import { mkdirSync, readFileSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config.js';

const LOCK_FILE = 'migraflow.lock';
const VERSION_FILE = 'pglite-version';

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two processes on one PGlite folder corrupt it, so the folder is locked to one live process.
 * A lock left by a crashed process (its PID no longer alive on this host) is taken over.
 * Returns the function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          const current = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
          if (current.pid === process.pid) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigError(`DATA_DIR ${dataDir} is not writable: ${(error as Error).message}.`);
      }
      let holder: LockContent | null;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
      } catch {
        holder = null; // unreadable lock: treat as stale
      }
      if (holder && (holder.host !== mine.host || isAlive(holder.pid))) {
        throw new ConfigError(
          `Another MigraFlow process (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is using the data folder ${dataDir}; stop it first or choose another DATA_DIR.`,
        );
      }
      unlinkSync(file);
    }
  }
  throw new ConfigError(`Could not lock the data folder ${dataDir}.`);
}

/**
 * PGlite's on-disk format changes between versions; a folder written by another version must be
 * dumped and restored, never opened (it would be damaged or misread).
 */
export function checkVersionMarker(pgdataDir: string, markerDir: string, pgliteVersion: string): void {
  const marker = path.join(markerDir, VERSION_FILE);
  const hasData = existsSync(path.join(pgdataDir, 'PG_VERSION'));
  if (existsSync(marker)) {
    const found = readFileSync(marker, 'utf8').trim();
    if (found !== pgliteVersion) {
      throw new ConfigError(
        `The data folder ${markerDir} was written by PGlite ${found}, but this MigraFlow uses PGlite ${pgliteVersion}; back it up with the older version and restore it (see README, "Upgrading").`,
      );
    }
    return;
  }
  if (hasData) {
    throw new ConfigError(`The data folder ${markerDir} holds a database without a version marker; it was not created by this MigraFlow.`);
  }
  mkdirSync(markerDir, { recursive: true });
  writeFileSync(marker, pgliteVersion + '\n');
}

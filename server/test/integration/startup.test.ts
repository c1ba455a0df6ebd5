import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVersionMarker, lockDataDir } from '../../src/platform/db/datadir.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { runCli } from '../support/cli.js';

function oneSentence(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('start-up refuses bad configuration with one clear sentence', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-startup-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number between 0 and 65535, but is "eighty"\./],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ DATABASE_URL: 'mysql://root@localhost/x' }, /DATABASE_URL must start with postgres:\/\//],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET must be at least 32 characters/],
  ])('%o', async (env, message) => {
    const result = await runCli(['serve'], { DATA_DIR: dataDir, ...env });
    expect(result.code).toBe(1);
    expect(oneSentence(result.stderr)).toMatch(message);
  });

  it('stops when the database does not answer', async () => {
    const result = await runCli(['serve'], { DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(result.code).toBe(1);
    expect(oneSentence(result.stderr)).toMatch(/The database at 127\.0\.0\.1:1\/nothing does not answer .*check DATABASE_URL/);
  });

  it('keeps a generated session secret in the data folder', () => {
    const first = loadConfig({}, dataDir);
    const second = loadConfig({}, dataDir);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(readFileSync(path.join(dataDir, 'data', 'session-secret'), 'utf8').trim()).toBe(first.sessionSecret);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/d' }, dataDir).seedDemo).toBe(false);
    expect(loadConfig({}, dataDir).seedDemo).toBe(true);
  });
});

describe('the embedded data folder is protected', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-lock-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second process while the first is alive, and takes over a stale lock', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(path.join(dataDir, 'migraflow.lock'), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: new Date().toISOString() }));
      expect(() => lockDataDir(dataDir)).toThrow(ConfigError);
      expect(() => lockDataDir(dataDir)).toThrow(new RegExp(`Another MigraFlow process \\(pid ${holder.pid}`));
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const release = lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'migraflow.lock'), 'utf8')).pid).toBe(process.pid);
    release();
    expect(existsSync(path.join(dataDir, 'migraflow.lock'))).toBe(false);
  });

  it('refuses a database opened by a second server on the same folder', async () => {
    const release = lockDataDir(dataDir);
    try {
      await expect(openDatabase({ databaseUrl: null, dataDir })).rejects.toThrow(/is using the data folder/);
    } finally {
      release();
    }
  });

  it('refuses a data folder written by another PGlite version', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'mf-version-'));
    try {
      checkVersionMarker(path.join(folder, 'pgdata'), folder, '0.5.16');
      expect(() => checkVersionMarker(path.join(folder, 'pgdata'), folder, '0.5.16')).not.toThrow();
      expect(() => checkVersionMarker(path.join(folder, 'pgdata'), folder, '0.6.0')).toThrow(/written by PGlite 0\.5\.16, but this MigraFlow uses PGlite 0\.6\.0/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('CLI on the embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds once, creates users and tokens, and verifies the audit log', async () => {
    const env = { DATA_DIR: dataDir };
    const seeded = await runCli(['seed', '--demo'], env);
    expect(seeded.stderr).toBe('');
    expect(seeded.stdout).toMatch(/Loaded the demo office with \d+ persons/);
    const again = await runCli(['seed', '--demo'], env);
    expect(again.stdout).toMatch(/already there; nothing changed/);

    const token = await runCli(['token', 'create', '--tenant', 'demo', '--role', 'partner', '--label', 'Kriens register'], env);
    expect(token.code).toBe(0);
    const lines = token.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^mf_[A-Za-z0-9_-]{43}$/);

    const badRole = await runCli(['token', 'create', '--tenant', 'demo', '--role', 'superuser'], env);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/Unknown role/);

    const user = await runCli(['user', 'create', '--tenant', 'demo', '--username', 'new.worker', '--name', 'New Worker', '--role', 'caseworker', '--unit', 'aufenthalt'], env);
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(/Created user new\.worker .* with role caseworker/);
    expect(user.stdout).toMatch(/Initial password: \S{12,}/);
    const duplicate = await runCli(['user', 'create', '--tenant', 'demo', '--username', 'new.worker', '--name', 'Again', '--role', 'caseworker'], env);
    expect(duplicate.code).toBe(1);
    expect(oneSentence(duplicate.stderr)).toMatch(/already taken/);

    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit log intact: \d+ rows/);

    const anchorFile = path.join(dataDir, 'anchors.jsonl');
    const anchored = await runCli(['audit', 'anchor', '--out', anchorFile], env);
    expect(anchored.stdout).toMatch(/Anchored \d+ audit chains/);
    const lastLine = JSON.parse(readFileSync(anchorFile, 'utf8').trim().split('\n').pop()!) as { chains: Record<string, { seq: number }> };
    expect(Object.keys(lastLine.chains).length).toBeGreaterThan(0);
    const withAnchor = await runCli(['audit', 'verify', '--anchor', anchorFile], env);
    expect(withAnchor.code).toBe(0);

    const help = await runCli(['token', 'create', '--help'], env);
    expect(help.stdout).toMatch(/--tenant <slug>/);
  }, 180_000);
});

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | null;
  dataDir: string;
  logLevel: LogLevel;
  sessionSecret: string;
  /** Set the Secure flag on cookies (behind TLS in production). */
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Seed the demo office on start when the database has no tenant yet. */
  seedDemo: boolean;
  /** Seconds between passes of the deadline scheduler; 0 switches it off in this process. */
  schedulerIntervalSeconds: number;
  /** Where browsers reach the server (PUBLIC_URL, no trailing slash): the single sign-on redirect URI; null derives it from each request. */
  publicUrl: string | null;
  /** API requests a signed-in user (or, before sign-in, an address) may make per minute; 0 = no limit. */
  apiRequestsPerMinute: number;
  /** Largest exchange message (eCH XML, report CSV) the inbox takes; bigger ones get 413 unread. */
  exchangeMaxMessageBytes: number;
  /** Drop folder the transport (sedex) delivers into: one subfolder per office slug; null: none. */
  exchangeInboxDir: string | null;
  /** Seconds between looks into the drop folder and between outbox delivery passes; 0 switches both off. */
  exchangeIntervalSeconds: number;
  /** Where e-mail goes (smtp:// or smtps://, credentials in the URL); null writes each mail as an .eml file into `<dataDir>/mail/`. */
  smtpUrl: string | null;
  /** The From of every mail MigraFlow sends (MAIL_FROM), e.g. `Migrationsamt <no-reply@example.ch>`. */
  mailFrom: string;
  /** Seconds between passes of the mail outbox delivery; 0 switches it off in this process. */
  mailIntervalSeconds: number;
}

/** A configuration problem: start-up prints the message as one sentence and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, but is "${raw}".`);
  }
  return Number(raw);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be "true" or "false", but is "${raw}".`);
}

/**
 * Reads the configuration from environment variables. Only validates and resolves paths:
 * it touches the file system only to keep a generated session secret (see `resolveSessionSecret`).
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST && env.HOST !== '' ? env.HOST : 'localhost';

  let databaseUrl: string | null = null;
  if (env.DATABASE_URL) {
    let parsed: URL;
    try {
      parsed = new URL(env.DATABASE_URL);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL; expected postgres://user@host:5432/database.');
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//.`);
    }
    databaseUrl = env.DATABASE_URL;
  }

  const dataDir = path.resolve(cwd, env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : 'data');

  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, but is "${env.LOG_LEVEL}".`);
  }

  const sessionSecret = resolveSessionSecret(env.SESSION_SECRET, dataDir);

  return {
    port,
    host,
    databaseUrl,
    dataDir,
    logLevel,
    sessionSecret,
    cookieSecure: flag(env, 'COOKIE_SECURE', false),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7),
    seedDemo: flag(env, 'SEED_DEMO', databaseUrl === null),
    schedulerIntervalSeconds: integer(env, 'SCHEDULER_INTERVAL_SECONDS', 60, 0, 24 * 3600),
    publicUrl: publicUrl(env.PUBLIC_URL),
    apiRequestsPerMinute: integer(env, 'API_RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    exchangeMaxMessageBytes: integer(env, 'EXCHANGE_MAX_MESSAGE_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    exchangeInboxDir: env.EXCHANGE_INBOX_DIR ? path.resolve(cwd, env.EXCHANGE_INBOX_DIR) : null,
    exchangeIntervalSeconds: integer(env, 'EXCHANGE_INTERVAL_SECONDS', 10, 0, 24 * 3600),
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom: mailFrom(env.MAIL_FROM),
    mailIntervalSeconds: integer(env, 'MAIL_INTERVAL_SECONDS', 10, 0, 24 * 3600),
  };
}

/** The SMTP server's address as given, checked; the password never appears in an error message. */
function smtpUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(raw);
  } catch {
    // Reported below.
  }
  const port = parsed?.port === '' ? null : Number(parsed?.port);
  if (!parsed || (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '' || (port !== null && (port < 1 || port > 65535)) || (parsed.pathname !== '' && parsed.pathname !== '/') || parsed.hash) {
    throw new ConfigError(`SMTP_URL must look like smtp://user:password@mail.example.ch:587 or smtps://user:password@mail.example.ch:465, but is "${withoutPassword(raw, parsed)}".`);
  }
  return raw;
}

function withoutPassword(raw: string, parsed: URL | null): string {
  if (parsed?.password) {
    const masked = new URL(parsed.href);
    masked.password = '***';
    return masked.href;
  }
  // Not a URL: whatever sits between "//user:" and "@" may be a password.
  return raw.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
}

const DEFAULT_MAIL_FROM = 'MigraFlow <no-reply@localhost>';

/** One sender, `Name <address>` or a bare address; no line breaks (they would start new header lines). */
function mailFrom(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_MAIL_FROM;
  const address = /^\s*(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(raw);
  const bare = address?.[1] ?? address?.[2];
  if (!bare || !/^[^@\s",;]+@[^@\s",;]+$/.test(bare)) {
    throw new ConfigError(`MAIL_FROM must be one sender such as "Migrationsamt <no-reply@example.ch>" or no-reply@example.ch, but is "${raw}".`);
  }
  return raw.trim();
}

function publicUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be the address browsers use, e.g. https://migraflow.example.ch, but is "${raw}".`);
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.search || parsed.hash) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) address without query or fragment, but is "${raw}".`);
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

/**
 * The secret that keys session-token hashes and CSRF tokens. When not given it is generated once
 * and kept in the data folder, so sessions survive restarts; several processes must share it.
 */
function resolveSessionSecret(given: string | undefined, dataDir: string): string {
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('SESSION_SECRET must be at least 32 characters long.');
    return given;
  }
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length < 32) throw new ConfigError(`The session secret in ${file} is too short; delete the file to generate a new one.`);
    return stored;
  }
  try {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process may have created it a moment ago.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw new ConfigError(`DATA_DIR ${dataDir} is not writable: ${(error as Error).message}.`);
  }
}

import { type Command, InvalidArgumentError, Option } from 'commander';
import { sql } from 'kysely';
import { buildApp, connectModules } from '../app.js';
import { startExpiryNotices } from '../modules/portal/index.js';
import type { Periodic } from '../platform/jobs/periodic.js';
import { ConfigError, loadConfig, type Config } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db/database.js';
import { migrate, MigrationError } from '../platform/db/migrate.js';
import { auditAnchor, verifyAuditChain, type AuditAnchor } from '../platform/audit/audit.js';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deliverDue, exportBaseDeliveries, importFiles, startExchangeWorker, type ExchangeWorker, type InboxOutcome } from '../modules/exchange/index.js';
import { problemDetail } from '../platform/i18n/translate.js';
import type { ProblemCode } from '../platform/i18n/messages.js';
import { AccessInputError, createToken, createUser, isRole, officeBySlug, ROLES } from '../modules/access/index.js';
import { installCaseTypesForAllTenants } from '../modules/cases/index.js';
import { fireDueDeadlines, startScheduler, type SchedulerHandle } from '../modules/deadlines/index.js';
import { runRetention, startRetentionScheduler, type RetentionScheduler } from '../modules/privacy/index.js';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_TENANT, seedDemo } from '../demo/seed.js';
import { LUCERNE_2022, loadLucerne2022 } from '../demo/profiles/lucerne-2022.js';
import { VERSION } from '../version.js';
import type { RoleSlug } from '../platform/db/tables.js';
import { randomBytes } from 'node:crypto';
import { createMailTransport, startMailWorker, type MailTransport, type MailWorker } from '../platform/mail/index.js';

/** Errors whose message is meant for the operator as it is: printed as one sentence, exit code 1. */
function isExpected(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof MigrationError || error instanceof AccessInputError;
}

function fail(error: unknown): never {
  if (isExpected(error)) {
    process.stderr.write(`migraflow: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`migraflow: unexpected error: ${message}\n`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
}

async function withDatabase<T>(work: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database.db);
    return await work(database, config);
  } finally {
    await database.close();
  }
}

function role(value: string): RoleSlug {
  if (!isRole(value)) throw new InvalidArgumentError(`Unknown role; use one of ${ROLES.join(', ')}.`);
  return value;
}

function printDemoLogins(): void {
  const lines = DEMO_LOGINS.map((login) => `    ${login.username.padEnd(12)} ${login.role.padEnd(16)} ${login.displayName}`);
  process.stdout.write(`  Demo office "${DEMO_TENANT.name}" (tenant ${DEMO_TENANT.slug}); every demo user has the password "${DEMO_PASSWORD}":\n${lines.join('\n')}\n`);
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let seededDemo = false;
  try {
    await migrate(database.db);
    if (config.seedDemo) {
      const outcome = await seedDemo(database.db);
      seededDemo = outcome.seeded;
    }
    // Case type files are loaded at every start: a new version in the repo reaches every office.
    await installCaseTypesForAllTenants(database.db);
    // PGlite has no autovacuum, so nothing else keeps the planner's statistics current; on a
    // small office's database this takes a moment. (PostgreSQL's autovacuum does it there.)
    if (database.kind === 'pglite') await sql`ANALYZE`.execute(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  const app = await buildApp({ config, database });

  let scheduler: SchedulerHandle | null = null;
  let retention: RetentionScheduler | null = null;
  let expiryNotices: Periodic | null = null;
  let exchange: ExchangeWorker | null = null;
  let mail: MailWorker | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    timer.unref();
    try {
      await scheduler?.stop();
      await retention?.stop();
      await expiryNotices?.stop();
      await exchange?.stop();
      await mail?.stop();
      await app.close();
    } finally {
      await database.close();
    }
    app.log.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await database.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new ConfigError(`Port ${config.port} is already in use; stop the other program or set PORT.`);
    throw error;
  }
  if (config.schedulerIntervalSeconds > 0) {
    scheduler = startScheduler(database.db, config.schedulerIntervalSeconds * 1000, (error) => app.log.error({ err: error }, 'deadline scheduler pass failed'));
    // Retention runs once a day per office; checking hourly catches the new day soon after midnight.
    retention = startRetentionScheduler(database.db, 3_600_000, (error) => app.log.error({ err: error }, 'retention run failed'));
    // "Your permit expires in two months" goes out once per permit; an hourly look is plenty.
    expiryNotices = startExpiryNotices(database.db, 3_600_000, config.publicUrl ?? `http://localhost:${config.port}`, (error) => app.log.error({ err: error }, 'expiry notices failed'));
  }
  if (config.exchangeIntervalSeconds > 0) {
    exchange = startExchangeWorker(database.db, {
      intervalMs: config.exchangeIntervalSeconds * 1000,
      secret: config.sessionSecret,
      inboxDir: config.exchangeInboxDir,
      maxMessageBytes: config.exchangeMaxMessageBytes,
      log: (error, what) => app.log.error({ err: error }, `exchange ${what} failed`),
    });
  }
  let mailTransport: MailTransport | null = null;
  if (config.mailIntervalSeconds > 0) {
    const transport = createMailTransport(config);
    mailTransport = transport;
    mail = startMailWorker(database.db, transport, {
      intervalMs: config.mailIntervalSeconds * 1000,
      log: (error) => app.log.error({ err: error }, 'mail delivery pass failed'),
      report: (report) => {
        if (report.sent > 0) app.log.info({ sent: report.sent, transport: transport.description }, 'mail sent');
        // Mails by id and purpose: the recipients' addresses stay out of the log.
        for (const problem of report.problems) {
          app.log.warn({ mailId: problem.id, purpose: problem.purpose, error: problem.error, retryAt: problem.retryAt }, problem.retryAt ? 'mail not sent; tried again later' : 'mail not sent; failed for good');
        }
      },
    });
    // A mail server that is not there yet is no reason not to start: the mails wait in the outbox.
    transport.verify().catch((error: unknown) => app.log.warn({ err: error, transport: transport.description }, 'the mail server does not answer or refuses the credentials; mails wait in the outbox'));
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`;
  process.stdout.write(`\nMigraFlow ${VERSION} is running at http://localhost:${port} (${where}).\n`);
  process.stdout.write(`  API reference: http://localhost:${port}/api/docs\n`);
  if (mailTransport) process.stdout.write(`  E-mail goes to ${mailTransport.description}${config.smtpUrl ? '' : ' (no SMTP_URL: as .eml files)'}.\n`);
  if (seededDemo) process.stdout.write('  The demo office was loaded now.\n');
  if (config.seedDemo) printDemoLogins();
  process.stdout.write('\n');
}

function describeOutcome(outcome: InboxOutcome): string {
  switch (outcome.outcome) {
    case 'applied':
      return `${outcome.messageId} applied (${outcome.eventType}, ${outcome.eventCount} event(s), ${outcome.personIds.length} person(s))`;
    case 'duplicate':
      return `${outcome.messageId} seen before (${outcome.status}); not applied again`;
    case 'quarantined':
      return `${outcome.messageId} held in quarantine: ${problemDetail(outcome.reason.code as ProblemCode, 'en', outcome.reason.params)}`;
    case 'receipt':
      return `${outcome.messageId} receipt${outcome.acknowledged ? ' for one of our messages' : ' (matches no message of ours)'}`;
    case 'tested':
      return `${outcome.messageId} test delivery: ${outcome.reason ? `would be held: ${problemDetail(outcome.reason.code as ProblemCode, 'en', outcome.reason.params)}` : 'would be applied'} (nothing changed)`;
  }
}

function lastAnchor(file: string): AuditAnchor {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`The anchor file ${file} cannot be read: ${(error as Error).message}.`);
  }
  const last = text.trim().split('\n').pop();
  if (!last) throw new ConfigError(`The anchor file ${file} is empty.`);
  return JSON.parse(last) as AuditAnchor;
}

export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.name('migraflow').description('MigraFlow: case management for migration offices').version(VERSION);

  program
    .command('serve')
    .description('Start the API and web app (embedded PGlite in DATA_DIR, or PostgreSQL from DATABASE_URL)')
    .action(serve);

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrate(database.db);
        process.stdout.write(applied.length === 0 ? 'The database is up to date.\n' : `Applied: ${applied.join(', ')}\n`);
      } finally {
        await database.close();
      }
    });

  program
    .command('seed')
    .description('Load demo data')
    .option('--demo', 'load the demo office (tenant "demo") unless it exists')
    .addOption(new Option('--profile <name>', 'load a named data profile'))
    .action(async (options: { demo?: boolean; profile?: string }) => {
      if (!options.demo && !options.profile) throw new ConfigError('Say what to load: --demo or --profile <name>.');
      if (options.profile) {
        if (options.profile !== LUCERNE_2022.slug) throw new ConfigError(`There is no data profile "${options.profile}"; available: ${LUCERNE_2022.slug}.`);
        await withDatabase(async (database) => {
          const started = Date.now();
          const persons = await loadLucerne2022(database.db, (n) => process.stderr.write(`\r  ${n} persons loaded`));
          process.stdout.write(`\nLoaded the profile ${LUCERNE_2022.slug} (tenant "${LUCERNE_2022.slug}") with ${persons} persons in ${Math.round((Date.now() - started) / 1000)} s.\n`);
        });
        if (!options.demo) return;
      }
      await withDatabase(async (database) => {
        const outcome = await seedDemo(database.db);
        process.stdout.write(outcome.seeded ? `Loaded the demo office with ${outcome.persons} persons.\n` : 'The demo office is already there; nothing changed.\n');
        printDemoLogins();
      });
    });

  program
    .command('scheduler')
    .description('Fire every deadline stage due now (reminders, escalations, legal force) and exit; several may run at once')
    .option('--worker <name>', 'name recorded with each firing', `pid-${process.pid}`)
    .option('--now <iso>', 'act as if it were this moment (for catching up or testing)')
    .option('--batch <n>', 'deadlines locked per transaction', (value) => Number(value), 100)
    .action(async (options: { worker: string; now?: string; batch: number }) => {
      const now = options.now ? new Date(options.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new ConfigError(`--now must be a date and time, e.g. 2026-12-01T08:00:00Z, not "${options.now}".`);
      connectModules();
      await withDatabase(async (database) => {
        const fired = await fireDueDeadlines(database.db, { now, worker: options.worker, batchSize: options.batch });
        process.stdout.write(`Fired ${fired} deadline stages.\n`);
      });
    });

  program
    .command('retention')
    .description('Retention of personal data (rules in server/catalogues/retention)')
    .command('run')
    .description('Apply the retention rules now: remove or anonymise what is due, skip what a legal hold keeps, store and print the report')
    .option('--dry-run', 'only report what would be removed; change nothing')
    .option('--now <date>', 'apply the rules as of this date (yyyy-mm-dd) instead of today')
    .option('--tenant <slug>', 'only this office')
    .action(async (options: { dryRun?: boolean; now?: string; tenant?: string }) => {
      const asOf = options.now ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new ConfigError(`--now must be a date such as 2030-12-31, not "${asOf}".`);
      await withDatabase(async (database) => {
        const outcomes = await runRetention(database.db, { asOf, dryRun: options.dryRun === true, triggeredBy: 'cli', ...(options.tenant ? { tenantSlug: options.tenant } : {}) });
        for (const outcome of outcomes) {
          if (outcome.status !== 'done' || !outcome.report) {
            process.stdout.write(`${outcome.tenant}: skipped (${outcome.status === 'busy' ? 'another run of this office is in progress' : 'already ran today'}).\n`);
            continue;
          }
          const verb = outcome.dryRun ? 'would remove' : 'removed';
          process.stdout.write(`${outcome.tenant}: retention as of ${outcome.asOf}${outcome.dryRun ? ' (dry run, nothing changed)' : ''}, report ${outcome.runId ?? ''}\n`);
          for (const item of outcome.report.items) {
            const held = item.heldIds.length > 0 ? `, ${item.heldIds.length} kept by a legal hold` : '';
            process.stdout.write(`  ${item.rule.padEnd(20)} ${item.action === 'keep' ? 'kept (rule: keep)' : `${verb} ${item.count}${held}`}\n`);
          }
        }
      });
    });

  const importer = program.command('import').description('Read exchange messages from files, as the inbox does (validate, apply or quarantine, once per message id)');
  const importCommand = async (files: string[], options: { tenant: string }) => {
    connectModules();
    await withDatabase(async (database, config) => {
      const office = await officeBySlug(database.db, options.tenant);
      if (!office) throw new ConfigError(`There is no office with the slug "${options.tenant}".`);
      const outcomes = await importFiles(database.db, files, office, 'cli', config.exchangeMaxMessageBytes);
      let held = 0;
      for (const [index, outcome] of outcomes.entries()) {
        process.stdout.write(`${files[index]}: ${describeOutcome(outcome)}\n`);
        if (outcome.outcome === 'quarantined') held++;
      }
      if (held > 0) {
        process.stdout.write(`${held} of ${files.length} message(s) held in quarantine; see Exchange → Quarantine in the web app.\n`);
        process.exitCode = 2;
      }
    });
  };
  importer
    .command('ech0020')
    .description('eCH-0058-enveloped eCH-0020 v3 deliveries (one message per file)')
    .argument('<files...>', 'XML files')
    .requiredOption('--tenant <slug>', 'office (tenant) slug, e.g. demo')
    .action(importCommand);
  importer
    .command('tenancy-reports')
    .description('Landlords’ and employers’ reports (NG § 17) as CSV in the layout of docs/exchange.md')
    .argument('<files...>', 'CSV files')
    .requiredOption('--tenant <slug>', 'office (tenant) slug, e.g. demo')
    .action(importCommand);

  const exchange = program.command('exchange').description('eCH data exchange');
  exchange
    .command('export')
    .description('Write the whole register of an office as eCH-0020 base deliveries (with MigraFlow’s history extension)')
    .requiredOption('--tenant <slug>', 'office (tenant) slug')
    .requiredOption('--out <folder>', 'folder for the files base-delivery-0001.xml, …')
    .option('--per-file <n>', 'persons per file', (value) => Number(value), 5000)
    .action(async (options: { tenant: string; out: string; perFile: number }) => {
      await withDatabase(async (database) => {
        const office = await officeBySlug(database.db, options.tenant);
        if (!office) throw new ConfigError(`There is no office with the slug "${options.tenant}".`);
        mkdirSync(options.out, { recursive: true });
        let files = 0;
        let persons = 0;
        for await (const part of exportBaseDeliveries(database.db, office, { perFile: options.perFile, today: new Date().toISOString().slice(0, 10) })) {
          files++;
          persons += part.persons;
          writeFileSync(path.join(options.out, `base-delivery-${String(files).padStart(4, '0')}.xml`), part.xml);
        }
        process.stdout.write(`Wrote ${persons} persons in ${files} file(s) to ${options.out}.\n`);
      });
    });
  exchange
    .command('deliver')
    .description('Send what is due in the outbox now (retries included) and exit')
    .action(async () => {
      await withDatabase(async (database, config) => {
        let attempted = 0;
        for (let batch = await deliverDue(database.db, { secret: config.sessionSecret }); batch > 0; batch = await deliverDue(database.db, { secret: config.sessionSecret })) attempted += batch;
        process.stdout.write(`Attempted ${attempted} deliveries.\n`);
      });
    });

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user with one or more roles')
    .requiredOption('--tenant <slug>', 'office (tenant) slug, e.g. demo')
    .requiredOption('--username <name>', 'login name, unique in the installation')
    .requiredOption('--name <display name>', 'full name shown in the app')
    .requiredOption('--role <role...>', `role slugs: ${ROLES.join(', ')}`)
    .option('--unit <slug>', 'unit the roles are held in (e.g. aufenthalt, gemeinde-1061)')
    .option('--email <address>', 'e-mail address')
    .addOption(new Option('--locale <locale>', 'language of the user').choices(['de', 'fr', 'it', 'en']).default('de'))
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (options: { tenant: string; username: string; name: string; role: string[]; unit?: string; email?: string; locale: 'de' | 'fr' | 'it' | 'en'; passwordStdin?: boolean }) => {
      const roles = options.role.map(role);
      let password: string;
      let generated = false;
      if (options.passwordStdin) {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
      } else {
        password = randomBytes(12).toString('base64url');
        generated = true;
      }
      await withDatabase(async (database) => {
        const id = await createUser(database.db, {
          tenantSlug: options.tenant,
          username: options.username,
          displayName: options.name,
          email: options.email ?? null,
          locale: options.locale,
          password,
          roles: roles.map((r) => ({ role: r, unitSlug: options.unit ?? null })),
        });
        process.stdout.write(`Created user ${options.username.toLowerCase()} (${id}) with role ${roles.join(', ')}.\n`);
        if (generated) process.stdout.write(`Initial password: ${password}\n`);
      });
    });

  const token = program.command('token').description('Manage API tokens for machine clients');
  token
    .command('create')
    .description('Create an API token; the token is printed alone on the last line')
    .requiredOption('--tenant <slug>', 'office (tenant) slug')
    .requiredOption('--role <role>', `role slug: ${ROLES.join(', ')}`, role)
    .option('--unit <slug>', 'unit the role is held in')
    .option('--label <text>', 'what the token is for')
    .action(async (options: { tenant: string; role: RoleSlug; unit?: string; label?: string }) => {
      await withDatabase(async (database) => {
        const value = await createToken(database.db, { tenantSlug: options.tenant, role: options.role, unitSlug: options.unit ?? null, label: options.label ?? `${options.role} token` });
        process.stdout.write(`Created a ${options.role} token for ${options.tenant}. Send it as "Authorization: Bearer <token>"; it is shown only now.\n${value}\n`);
      });
    });

  const audit = program.command('audit').description('Audit log');
  audit
    .command('anchor')
    .description('Append the heads of all audit chains to a file kept outside the database (run daily, e.g. from cron)')
    .requiredOption('--out <file>', 'the anchor file (JSON lines); keep it where the database administrators cannot change it')
    .action(async (options: { out: string }) => {
      await withDatabase(async (database) => {
        const anchor = await auditAnchor(database.db);
        appendFileSync(options.out, JSON.stringify(anchor) + '\n', { mode: 0o600 });
        process.stdout.write(`Anchored ${Object.keys(anchor.chains).length} audit chains in ${options.out}.\n`);
      });
    });

  audit
    .command('verify')
    .description('Check the hash chain of the audit log; exits with 1 when a row was changed, removed or reordered')
    .option('--anchor <file>', 'also compare with the last anchor in this file (detects a removed tail or a recomputed chain)')
    .action(async (options: { anchor?: string }) => {
      await withDatabase(async (database) => {
        const result = await verifyAuditChain(database.db, 5000, options.anchor ? lastAnchor(options.anchor) : null);
        if (result.ok) {
          process.stdout.write(`Audit log intact: ${result.rowsChecked} rows in ${result.chains} chains verified.\n`);
          return;
        }
        process.stdout.write(`Audit log TAMPERED: ${result.problems.length} broken chain(s) among ${result.rowsChecked} rows.\n`);
        for (const problem of result.problems) {
          process.stdout.write(`  first bad row: id ${problem.id} (chain ${problem.chain}, sequence ${problem.seq}): ${problem.reason}\n`);
        }
        process.exitCode = 1;
      });
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    fail(error);
  }
}

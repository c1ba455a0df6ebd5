import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { sql } from 'kysely';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { AppError } from './platform/errors.js';
import { withTenantScope } from './platform/db/tenant-scope.js';
import { createHttpServer, type App } from './platform/http/server.js';
import { buildProblem, sendProblem } from './platform/http/problem.js';
import { installAccessControl, registerAccessRoutes, registerAuditRoutes } from './modules/access/index.js';
import { onDeparture, onRegisterChange, registerRegisterRoutes } from './modules/register/index.js';
import { enqueueForChange, prepareSchemas, registerExchangeRoutes } from './modules/exchange/index.js';
import { endPermitsOnDeparture, registerPermitRoutes } from './modules/permits/index.js';
import { registerReportingRoutes } from './modules/reporting/index.js';
import { LEGAL_FORCE, onCaseChange, onLegalForceDue, registerCaseRoutes } from './modules/cases/index.js';
import { onDeadlineDue, registerNotificationRoutes } from './modules/deadlines/index.js';
import { registerDocumentRoutes } from './modules/documents/index.js';
import { registerPrivacyRoutes } from './modules/privacy/index.js';
import { INVOICE_REMINDER, onInvoiceReminderDue, registerFinanceRoutes, remindSettlementOnDeparture } from './modules/finance/index.js';
import { notifyApplicants, registerPortalRoutes, registerPortalServiceRoutes, setNoticeBaseUrl } from './modules/portal/index.js';
import { APPOINTMENT_REMINDER, onAppointmentReminderDue, registerAppointmentRoutes } from './modules/appointments/index.js';
import { VERSION } from './version.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface AppOptions {
  config: Pick<Config, 'logLevel' | 'sessionSecret' | 'sessionIdleMinutes' | 'sessionAbsoluteHours' | 'cookieSecure'> & Partial<Pick<Config, 'publicUrl' | 'apiRequestsPerMinute' | 'exchangeMaxMessageBytes'>>;
  database: Database;
  /** Folder of the built web app; null serves the API alone. */
  webRoot?: string | null;
  /** Where log lines go instead of standard output (tests). */
  logStream?: NodeJS.WritableStream;
}

/** Cross-module reactions, wired here so that modules need not know each other (the server and the CLI scheduler share it). */
export function connectModules(publicUrl: string | null = null): void {
  // Links in mails sent outside a request (a deadline's step) need the address browsers use.
  if (publicUrl) setNoticeBaseUrl(publicUrl);
  onCaseChange(notifyApplicants);
  onDeparture(endPermitsOnDeparture);
  onRegisterChange(enqueueForChange);
  onDeadlineDue(LEGAL_FORCE, onLegalForceDue);
  onDeadlineDue(INVOICE_REMINDER, onInvoiceReminderDue);
  onDeadlineDue(APPOINTMENT_REMINDER, onAppointmentReminderDue);
  onDeparture(remindSettlementOnDeparture);
}

/** The composition root: the HTTP platform plus every module's routes. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config, database } = options;
  const db = database.db;
  const app = await createHttpServer({
    logLevel: config.logLevel,
    version: VERSION,
    ...(options.logStream ? { logStream: options.logStream } : {}),
    apiRateLimit: { perMinute: config.apiRequestsPerMinute ?? 1200, key: (request) => (request.actor ? `user:${request.actor.id}` : `address:${request.ip}`) },
  });
  const sessionSettings = {
    secret: config.sessionSecret,
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
    cookieSecure: config.cookieSecure,
  };
  installAccessControl(app, db, sessionSettings);
  // Every handler runs in its actor's office scope, so row-level security backs the modules' own
  // tenant filters (platform/db/tenant-scope.ts). Authentication itself ran before, unscoped.
  app.addHook('preHandler', (request, _reply, done) => {
    const tenantId = request.actor?.tenantId;
    if (tenantId) withTenantScope(tenantId, done);
    else done();
  });

  app.get('/api/health', { config: { permission: 'public' }, schema: { tags: ['platform'], summary: 'Liveness and database check', hide: false } }, async () => {
    try {
      await sql`SELECT 1`.execute(db);
    } catch {
      throw new AppError(503, 'database-unavailable');
    }
    return { status: 'ok' };
  });
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerAccessRoutes(app, db, { ...sessionSettings, publicUrl: config.publicUrl ?? null });
  registerAuditRoutes(app, db);
  registerRegisterRoutes(app, db);
  registerPermitRoutes(app, db);
  registerReportingRoutes(app, db);
  connectModules(config.publicUrl ?? null);
  registerCaseRoutes(app, db);
  registerDocumentRoutes(app, db);
  registerNotificationRoutes(app, db);
  registerPrivacyRoutes(app, db);
  registerFinanceRoutes(app, db);
  registerPortalRoutes(app, db, { publicUrl: config.publicUrl ?? null });
  registerPortalServiceRoutes(app, db, config.publicUrl ?? null);
  registerAppointmentRoutes(app, db, { publicUrl: config.publicUrl ?? null });
  registerExchangeRoutes(app, db, { maxMessageBytes: config.exchangeMaxMessageBytes ?? 50 * 1024 * 1024, secret: config.sessionSecret });
  // The schemas compile once, at start, not on the first message a partner sends.
  prepareSchemas();

  const webRoot = options.webRoot === undefined ? WEB_DIST : options.webRoot;
  const serveWeb = webRoot !== null && existsSync(`${webRoot}/index.html`);
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      // The web build writes .br and .gz next to each file (web/scripts/compress.mjs).
      preCompressed: true,
      setHeaders: (response, filePath) => {
        // Built assets carry a content hash in their name and never change.
        response.header('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: every other GET outside /api gets its page.
    if (serveWeb && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, buildProblem(request, 404, 'route-not-found', { method: request.method, url: request.url.split('?')[0] ?? '' }));
  });
  return app;
}

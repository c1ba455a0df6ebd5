import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { sql } from 'kysely';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { AppError } from './platform/errors.js';
import { createHttpServer, type App } from './platform/http/server.js';
import { buildProblem, sendProblem } from './platform/http/problem.js';
import { installAccessControl, registerAccessRoutes } from './modules/access/index.js';
import { onDeparture, registerRegisterRoutes } from './modules/register/index.js';
import { endPermitsOnDeparture, registerPermitRoutes } from './modules/permits/index.js';
import { registerReportingRoutes } from './modules/reporting/index.js';
import { LEGAL_FORCE, onLegalForceDue, registerCaseRoutes } from './modules/cases/index.js';
import { onDeadlineDue, registerNotificationRoutes } from './modules/deadlines/index.js';
import { registerDocumentRoutes } from './modules/documents/index.js';
import { VERSION } from './version.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface AppOptions {
  config: Pick<Config, 'logLevel' | 'sessionSecret' | 'sessionIdleMinutes' | 'sessionAbsoluteHours' | 'cookieSecure'>;
  database: Database;
  /** Folder of the built web app; null serves the API alone. */
  webRoot?: string | null;
}

/** Cross-module reactions, wired here so that modules need not know each other (the server and the CLI scheduler share it). */
export function connectModules(): void {
  onDeparture(endPermitsOnDeparture);
  onDeadlineDue(LEGAL_FORCE, onLegalForceDue);
}

/** The composition root: the HTTP platform plus every module's routes. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config, database } = options;
  const db = database.db;
  const app = await createHttpServer({ logLevel: config.logLevel, version: VERSION });
  const sessionSettings = {
    secret: config.sessionSecret,
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
    cookieSecure: config.cookieSecure,
  };
  installAccessControl(app, db, sessionSettings);

  app.get('/api/health', { config: { permission: 'public' }, schema: { tags: ['platform'], summary: 'Liveness and database check', hide: false } }, async () => {
    try {
      await sql`SELECT 1`.execute(db);
    } catch {
      throw new AppError(503, 'database-unavailable');
    }
    return { status: 'ok' };
  });
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerAccessRoutes(app, db, sessionSettings);
  registerRegisterRoutes(app, db);
  registerPermitRoutes(app, db);
  registerReportingRoutes(app, db);
  connectModules();
  registerCaseRoutes(app, db);
  registerDocumentRoutes(app, db);
  registerNotificationRoutes(app, db);

  const webRoot = options.webRoot === undefined ? WEB_DIST : options.webRoot;
  const serveWeb = webRoot !== null && existsSync(`${webRoot}/index.html`);
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
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

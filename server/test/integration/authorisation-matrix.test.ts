import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import type { RoleSlug } from '../../src/platform/db/tables.js';
import { declaredRoutes } from '../../src/modules/access/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session } from '../support/fixtures.js';

/**
 * The authorisation matrix: every API route of the running server, the permission it must carry,
 * and — written out by hand — which roles hold that permission. A route added without an entry
 * here, or with another permission, fails this test.
 */
const ROUTES: Record<string, string> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/session': 'authenticated',
  'POST /api/v1/auth/logout': 'authenticated',
  'POST /api/v1/auth/login/totp': 'public',
  'POST /api/v1/auth/logout-all': 'authenticated',
  'POST /api/v1/auth/reauthenticate': 'authenticated',
  'POST /api/v1/auth/totp/enrolment': 'authenticated',
  'POST /api/v1/auth/totp/confirm': 'authenticated',
  'POST /api/v1/auth/totp/disable': 'authenticated',
  'GET /api/v1/auth/oidc/providers': 'public',
  'GET /api/v1/auth/oidc/:tenantSlug/start': 'public',
  'GET /api/v1/auth/oidc/callback': 'public',
  'GET /api/v1/users': 'users:manage',
  'PUT /api/v1/users/:id/roles': 'users:manage',
  'POST /api/v1/users/:id/totp-reset': 'users:manage',
  'GET /api/v1/persons': 'persons:read',
  'GET /api/v1/persons/:id': 'persons:read',
  'GET /api/v1/persons/:id/history': 'persons:read',
  'PATCH /api/v1/persons/:id': 'persons:write',
  'POST /api/v1/persons/:id/disclosure': 'persons:disclose',
  'POST /api/v1/persons/duplicates': 'persons:read',
  'POST /api/v1/persons/:id/merge': 'persons:write',
  'POST /api/v1/persons/:id/relations': 'persons:write',
  'POST /api/v1/register/arrivals': 'persons:write',
  'POST /api/v1/persons/:id/moves': 'persons:write',
  'POST /api/v1/persons/:id/departure': 'persons:write',
  'POST /api/v1/persons/:id/papers': 'persons:write',
  'GET /api/v1/papers/:id/receipt.pdf': 'persons:read',
  'POST /api/v1/papers/:id/return': 'persons:write',
  'GET /api/v1/papers/journal': 'persons:read',
  'POST /api/v1/register/tenancy-reports': 'persons:write',
  'GET /api/v1/register/reconciliation': 'persons:read',
  'GET /api/v1/register/municipalities': 'persons:read',
  'GET /api/v1/permit-categories': 'permits:read',
  'GET /api/v1/persons/:id/permits': 'permits:read',
  'POST /api/v1/persons/:id/permits': 'permits:write',
  'POST /api/v1/permits/:id/extend': 'permits:write',
  'POST /api/v1/permits/:id/change-category': 'permits:write',
  'POST /api/v1/permits/:id/end': 'permits:write',
  'GET /api/v1/permits/expiring': 'permits:read',
  'GET /api/v1/statistics/foreign-population': 'statistics:read',
  'GET /api/v1/statistics/immigration': 'statistics:read',
  'GET /api/v1/case-types': 'cases:read',
  'POST /api/v1/case-types': 'case-types:manage',
  'GET /api/v1/case-assignees': 'cases:read',
  'GET /api/v1/cases': 'cases:read',
  'POST /api/v1/cases': 'cases:write',
  'GET /api/v1/cases/:id': 'cases:read',
  'POST /api/v1/cases/:id/steps/:transition': 'cases:write',
  'POST /api/v1/cases/:id/approval': 'cases:approve',
  'PUT /api/v1/cases/:id/checklist/:item': 'cases:write',
  'PATCH /api/v1/cases/:id/fields': 'cases:write',
  'POST /api/v1/cases/:id/assign': 'cases:write',
  'POST /api/v1/cases/:id/notes': 'cases:write',
  'POST /api/v1/cases/:id/tasks': 'cases:write',
  'POST /api/v1/cases/:id/tasks/:taskId/done': 'cases:write',
  'POST /api/v1/cases/:id/attachments': 'cases:write',
  'POST /api/v1/cases/:id/notification': 'cases:write',
  'POST /api/v1/cases/:id/appeal': 'cases:write',
  'POST /api/v1/cases/:id/appeal-outcome': 'cases:write',
  'GET /api/v1/case-overview': 'cases:lead',
  'GET /api/v1/documents/:id': 'cases:read',
  'GET /api/v1/notifications': 'authenticated',
  'POST /api/v1/notifications/:id/read': 'authenticated',
  'GET /api/v1/persons/:id/access-report': 'privacy:report',
  'GET /api/v1/persons/:id/access-report.pdf': 'privacy:report',
  'GET /api/v1/persons/:id/legal-hold': 'privacy:report',
  'POST /api/v1/persons/:id/legal-hold': 'privacy:hold',
  'DELETE /api/v1/persons/:id/legal-hold': 'privacy:hold',
  'POST /api/v1/cases/:id/legal-hold': 'privacy:hold',
  'DELETE /api/v1/cases/:id/legal-hold': 'privacy:hold',
  'GET /api/v1/retention/rules': 'retention:read',
  'GET /api/v1/retention/runs': 'retention:read',
  'GET /api/v1/retention/runs/:id': 'retention:read',
  'GET /api/v1/audit': 'audit:read',
  'GET /api/v1/audit/export': 'audit:export',
  'GET /api/v1/audit/verify': 'audit:read',
  'POST /api/v1/exchange/ech0020': 'exchange:submit',
  'POST /api/v1/exchange/tenancy-reports': 'exchange:submit',
  'GET /api/v1/exchange/partners': 'exchange:read',
  'POST /api/v1/exchange/partners': 'exchange:manage',
  'PUT /api/v1/exchange/partners/:id': 'exchange:manage',
  'POST /api/v1/exchange/partners/:id/token': 'exchange:manage',
  'GET /api/v1/exchange/inbox': 'exchange:read',
  'GET /api/v1/exchange/inbox/:id/body': 'exchange:read',
  'POST /api/v1/exchange/inbox/:id/reapply': 'exchange:manage',
  'POST /api/v1/exchange/inbox/:id/reject': 'exchange:manage',
  'GET /api/v1/exchange/outbox': 'exchange:read',
  'GET /api/v1/exchange/outbox/:id/body': 'exchange:read',
  'POST /api/v1/exchange/outbox/:id/resend': 'exchange:manage',
  'GET /api/v1/finance/settings': 'finance:read',
  'PUT /api/v1/finance/settings': 'finance:manage',
  'GET /api/v1/finance/fee-preview': 'finance:read',
  'GET /api/v1/persons/:id/invoices': 'finance:read',
  'GET /api/v1/cases/:id/invoices': 'finance:read',
  'GET /api/v1/invoices/:id': 'finance:read',
  'GET /api/v1/invoices/:id/pdf': 'finance:read',
  'POST /api/v1/invoices/:id/payments': 'finance:write',
  'POST /api/v1/finance/camt/preview': 'finance:book',
  'POST /api/v1/finance/camt/imports': 'finance:book',
  'GET /api/v1/finance/clarifications': 'finance:book',
  'POST /api/v1/finance/clarifications/:id/resolution': 'finance:book',
  'GET /api/v1/persons/:id/deposits': 'finance:read',
  'POST /api/v1/persons/:id/deposits': 'finance:write',
  'POST /api/v1/deposits/:id/waiver-request': 'finance:write',
  'POST /api/v1/deposits/:id/waiver-decision': 'finance:approve',
  'POST /api/v1/deposits/:id/settlement': 'finance:write',
  'GET /api/v1/finance/account': 'finance:book',
  'GET /api/v1/finance/account.csv': 'finance:book',
  'GET /api/v1/finance/account.xlsx': 'finance:book',
  'POST /api/v1/finance/revenue': 'finance:book',
  'GET /api/v1/appointment-service-points': 'authenticated',
  'POST /api/v1/appointment-service-points': 'appointments:manage',
  'PUT /api/v1/appointment-service-points/:id': 'appointments:manage',
  'PUT /api/v1/appointment-service-points/:id/hours': 'appointments:manage',
  'POST /api/v1/appointment-service-points/:id/closures': 'appointments:manage',
  'DELETE /api/v1/appointment-closures/:id': 'appointments:manage',
  'GET /api/v1/appointment-services': 'authenticated',
  'PUT /api/v1/appointment-services/:slug': 'appointments:manage',
  'POST /api/v1/cases/:id/appointment-invitations': 'cases:write',
  'GET /api/v1/appointments': 'appointments:read',
  'POST /api/v1/appointments/:id/check-in': 'appointments:write',
  'POST /api/v1/appointments/:id/no-show': 'appointments:write',
  'GET /api/v1/appointments/by-invitation': 'public',
  'POST /api/v1/appointments/by-invitation/booking': 'public',
  'POST /api/v1/appointments/by-invitation/reschedule': 'public',
  'POST /api/v1/appointments/by-invitation/cancellation': 'public',
  'POST /api/v1/portal/:office/sign-up': 'public',
  'POST /api/v1/portal/verify-email': 'public',
  'POST /api/v1/portal/:office/password-reset': 'public',
  'POST /api/v1/portal/password-reset/confirm': 'public',
  'GET /api/v1/portal/me': 'portal:use',
  'POST /api/v1/portal/mandates': 'portal:use',
  'POST /api/v1/portal/mandates/:id/revoke': 'portal:use',
  'GET /api/v1/portal/accounts': 'portal:manage',
  'POST /api/v1/portal/accounts/:id/person': 'portal:manage',
  'GET /api/v1/portal/persons/:id/mandates': 'portal:manage',
  'GET /api/v1/portal/persons/:id/accounts': 'portal:manage',
  'POST /api/v1/portal/persons/:id/mandates': 'portal:manage',
  'POST /api/v1/portal/persons/:id/mandates/:mandateId/revoke': 'portal:manage',
  'GET /api/v1/portal/forms': 'portal:use',
  'GET /api/v1/portal/applications': 'portal:use',
  'POST /api/v1/portal/applications': 'portal:use',
  'GET /api/v1/portal/applications/:id': 'portal:use',
  'PATCH /api/v1/portal/applications/:id': 'portal:use',
  'DELETE /api/v1/portal/applications/:id': 'portal:use',
  'POST /api/v1/portal/applications/:id/uploads': 'portal:use',
  'DELETE /api/v1/portal/applications/:id/uploads/:uploadId': 'portal:use',
  'POST /api/v1/portal/applications/:id/submission': 'portal:use',
  'GET /api/v1/portal/cases': 'portal:use',
  'GET /api/v1/portal/cases/:id': 'portal:use',
  'GET /api/v1/portal/cases/:id/documents/:documentId': 'portal:use',
  'POST /api/v1/portal/cases/:id/messages': 'portal:use',
  'POST /api/v1/portal/link': 'portal:use',
  'GET /api/v1/portal/share-codes': 'portal:use',
  'POST /api/v1/portal/share-codes': 'portal:use',
  'POST /api/v1/portal/share-codes/:id/revoke': 'portal:use',
  'POST /api/v1/share-codes/check': 'public',
  'POST /api/v1/portal/persons/:id/link-code': 'portal:manage',
  'GET /api/v1/cases/:id/messages': 'cases:read',
  'POST /api/v1/cases/:id/messages': 'cases:write',
  'GET /api/v1/cases/:id/application': 'cases:read',
};

const EVERYONE: RoleSlug[] = ['caseworker', 'team-lead', 'municipal-clerk', 'admin', 'auditor', 'applicant', 'partner'];
const OFFICE: RoleSlug[] = ['caseworker', 'team-lead'];
const HOLDERS: Record<string, RoleSlug[]> = {
  public: EVERYONE,
  authenticated: EVERYONE,
  'persons:read': [...OFFICE, 'municipal-clerk'],
  'persons:write': [...OFFICE, 'municipal-clerk'],
  'permits:read': OFFICE,
  'permits:write': OFFICE,
  'statistics:read': [...OFFICE, 'partner'],
  'cases:read': OFFICE,
  'cases:write': OFFICE,
  'cases:approve': ['team-lead'],
  'cases:lead': ['team-lead'],
  'case-types:manage': ['admin'],
  'persons:disclose': [...OFFICE, 'municipal-clerk'],
  'audit:read': ['auditor'],
  'audit:export': ['auditor'],
  'users:manage': ['admin'],
  'privacy:report': OFFICE,
  'privacy:hold': ['team-lead'],
  'retention:read': ['team-lead', 'admin', 'auditor'],
  'exchange:submit': ['partner'],
  'exchange:read': ['team-lead', 'admin'],
  'exchange:manage': ['team-lead', 'admin'],
  'finance:read': [...OFFICE, 'municipal-clerk', 'admin'],
  'finance:write': [...OFFICE, 'municipal-clerk'],
  'finance:book': ['team-lead'],
  'finance:approve': ['team-lead'],
  'finance:manage': ['admin'],
  'portal:use': ['applicant'],
  'portal:manage': OFFICE,
  'appointments:read': [...OFFICE, 'municipal-clerk'],
  'appointments:write': [...OFFICE, 'municipal-clerk'],
  'appointments:manage': ['team-lead', 'admin'],
};

const UNIT_OF: Partial<Record<RoleSlug, string>> = { caseworker: 'aufenthalt', 'team-lead': 'aufenthalt', 'municipal-clerk': 'gemeinde-1061' };

describe.each(DATABASE_KINDS)('authorisation matrix on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  const sessions = new Map<RoleSlug, Session>();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const tenant = await createTenant(database.db, 'office-matrix');
    for (const role of EVERYONE) {
      await createTestUser(database.db, tenant, `matrix-${role}`, role, UNIT_OF[role] ?? null);
      sessions.set(role, await signIn(app, `matrix-${role}`));
    }
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('knows every route the server has, with the permission it declares', () => {
    const declared = Object.fromEntries(declaredRoutes(app).map((route) => [`${route.method} ${route.url}`, route.permission]));
    expect(declared).toEqual(ROUTES);
  });

  it('gives each role exactly what its permissions allow on every route', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    // Signing out ends the session the other calls use, so it comes last; signing out everywhere
    // ends every session of the user, so it comes after that, with a session of its own.
    const signOut = (key: string) => (key === 'POST /api/v1/auth/logout-all' ? 2 : Number(key === 'POST /api/v1/auth/logout'));
    const routes = Object.entries(ROUTES).sort(([a], [b]) => signOut(a) - signOut(b));
    for (const [key, permission] of routes) {
      const [method, url] = key.split(' ') as [string, string];
      const path = url.replace(/:[A-Za-z]+/g, () => randomUUID());
      for (const role of EVERYONE) {
        const session = key === 'POST /api/v1/auth/logout-all' ? await signIn(app, `matrix-${role}`, undefined, '198.51.100.1') : sessions.get(role)!;
        const response = await app.inject({
          method: method as 'GET',
          url: path,
          payload: method === 'GET' ? undefined : {},
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'if-match': '"1"', 'accept-language': 'en' },
        });
        if (response.statusCode >= 400) expect(response.headers['content-type'], `${key} as ${role}`).toContain('application/problem+json');
        expect(response.statusCode, `${key} as ${role}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
        const refused = response.statusCode === 403 && response.json<{ code: string }>().code === 'forbidden';
        const unauthenticated = response.statusCode === 401;
        outcomes.push(`${key} as ${role}: ${refused ? 'forbidden' : unauthenticated ? 'unauthenticated' : 'allowed'}`);
        expected.push(`${key} as ${role}: ${HOLDERS[permission]?.includes(role) ? 'allowed' : 'forbidden'}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('refuses every non-public route without a session', async () => {
    for (const [key, permission] of Object.entries(ROUTES)) {
      if (permission === 'public') continue;
      const [method, url] = key.split(' ') as [string, string];
      const response = await app.inject({ method: method as 'GET', url: url.replace(/:[A-Za-z]+/g, () => randomUUID()), payload: method === 'GET' ? undefined : {} });
      expect(response.statusCode, key).toBe(401);
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createMailTransport, deliverDueMails, mailTables, type MailTransport } from '../../src/platform/mail/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';

/**
 * Portal accounts (issue 9, item 1): sign-up with a confirmation mail that really arrives at an
 * SMTP server, sign-in through the access module, password reset, linking to a register person,
 * and mandates given by the person or recorded by the office.
 */

const PASSWORD = 'a long portal password';
const NEW_PASSWORD = 'another long password 2';

describe.each(DATABASE_KINDS)('portal accounts on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  let dataDir: string;
  let officeA: TestTenant;
  let officeB: TestTenant;
  let caseworkerA: Session;
  let caseworkerB: Session;
  const personId = '7f1b1f0e-3c1a-4c59-9d55-1e0f7a9c0a01';
  let address = 0;

  /** Each public call from its own address: sign-up and reset are rate-limited per address. */
  const nextAddress = () => `203.0.113.${(address++ % 250) + 1}`;

  async function post(url: string, payload: object, session?: Session): Promise<LightMyRequestResponse> {
    return app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: nextAddress(),
      headers: { 'accept-language': 'en', ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}) },
    });
  }

  async function get(url: string, session: Session): Promise<LightMyRequestResponse> {
    return app.inject({ method: 'GET', url, headers: { cookie: session.cookie, 'accept-language': 'en' } });
  }

  /** Delivers what is due and returns the mails that arrived for `to` since `before` mails had arrived. */
  async function deliver(): Promise<ReceivedMail[]> {
    const before = smtp.received.length;
    const report = await deliverDueMails(database.db, transport, { batchSize: 50 });
    if (report.sent > 0) await smtp.waitFor(before + report.sent);
    return smtp.received.slice(before);
  }

  function tokenIn(mail: ReceivedMail, page: 'verify' | 'reset-password'): string {
    const match = new RegExp(`/portal/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
    if (!match?.[1]) throw new Error(`no ${page} link in: ${mail.text}`);
    return match[1];
  }

  async function signUp(email: string, extra: object = {}, office = officeA.slug): Promise<LightMyRequestResponse> {
    return post(`/api/v1/portal/${office}/sign-up`, { email, password: PASSWORD, displayName: 'Zoë Müller', kind: 'applicant', language: 'de', ...extra });
  }

  /** Signs up, confirms through the mail and signs in. */
  async function account(email: string, displayName: string): Promise<Session> {
    expect((await signUp(email, { displayName, kind: 'representative', language: 'en' })).statusCode).toBe(202);
    const [mail] = await deliver();
    expect((await post('/api/v1/portal/verify-email', { token: tokenIn(mail!, 'verify') })).statusCode).toBe(204);
    return signIn(app, email, PASSWORD, nextAddress());
  }

  async function loginStatus(username: string, password: string): Promise<number> {
    return (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: nextAddress() })).statusCode;
  }

  async function auditActions(tenantId: string): Promise<string[]> {
    const rows = await database.db.selectFrom('audit_log').select('action').where('tenant_id', '=', tenantId).where('action', 'like', 'portal.%').execute();
    return rows.map((row) => row.action);
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    smtp = await startSmtpServer();
    dataDir = mkdtempSync(path.join(tmpdir(), 'mf-portal-'));
    transport = createMailTransport({ smtpUrl: smtp.url, mailFrom: 'Amt <no-reply@migraflow.example.ch>', dataDir });
    officeA = await createTenant(database.db, 'portal-a');
    officeB = await createTenant(database.db, 'portal-b');
    await addPersons(database.db, [person(officeA.id, 'Müller', 'Zoë', LUZERN, { id: personId })]);
    await createTestUser(database.db, officeA, 'portal-cw-a', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, officeB, 'portal-cw-b', 'caseworker', 'aufenthalt');
    caseworkerA = await signIn(app, 'portal-cw-a', undefined, nextAddress());
    caseworkerB = await signIn(app, 'portal-cw-b', undefined, nextAddress());
  });

  afterAll(async () => {
    transport?.close();
    await smtp?.stop();
    await app?.close();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs up, mails the confirmation link, and lets the account sign in only after it was used', async () => {
    const response = await signUp('  Zoe.Mueller+Amt@Example.CH ');
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ status: 'accepted' });
    // Not before the address is confirmed (the answer is the one for a wrong password).
    expect(await loginStatus('zoe.mueller+amt@example.ch', PASSWORD)).toBe(401);

    const mails = await deliver();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.envelope.to).toEqual(['zoe.mueller+amt@example.ch']);
    expect(mail.subject).toBe('Office portal-a: Bitte bestätigen Sie Ihre E-Mail-Adresse');
    expect(mail.text).toContain('Guten Tag Zoë Müller');
    expect(mail.text).toContain('http://localhost:80/portal/verify?token=');
    const token = tokenIn(mail, 'verify');
    // Only the hash is stored.
    const stored = await database.db.withTables<{ portal_tokens: { token_hash: string } }>().selectFrom('portal_tokens').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(token);

    expect((await post('/api/v1/portal/verify-email', { token })).statusCode).toBe(204);
    const session = await signIn(app, 'Zoe.Mueller+Amt@example.ch', PASSWORD, nextAddress());
    const me = await get('/api/v1/portal/me', session);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ account: { email: 'zoe.mueller+amt@example.ch', kind: 'applicant', language: 'de', displayName: 'Zoë Müller' }, person: null, mandatesGiven: [], mandatesHeld: [] });
    expect(me.json<{ account: { emailVerifiedAt: string | null } }>().account.emailVerifiedAt).not.toBeNull();

    // One use only.
    const again = await post('/api/v1/portal/verify-email', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'portal-token-used' });
    const unknown = await post('/api/v1/portal/verify-email', { token: 'x'.repeat(43) });
    expect(unknown.json()).toMatchObject({ status: 400, code: 'portal-token-invalid' });
  });

  it('refuses an expired confirmation link and weak or malformed input', async () => {
    expect((await signUp('late@example.ch')).statusCode).toBe(202);
    const [mail] = await deliver();
    const token = tokenIn(mail!, 'verify');
    await database.db
      .withTables<{ portal_tokens: { expires_at: Date; user_id: string } }>()
      .updateTable('portal_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const expired = await post('/api/v1/portal/verify-email', { token });
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject({ code: 'portal-token-expired' });
    expect(expired.headers['content-type']).toContain('application/problem+json');
    expect(await loginStatus('late@example.ch', PASSWORD)).toBe(401);

    const weak = await signUp('weak@example.ch', { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(JSON.stringify(weak.json())).toContain('password');
    expect((await signUp('not-an-address')).statusCode).toBe(400);
    const office = await signUp('nowhere@example.ch', {}, 'no-such-office');
    expect(office.statusCode).toBe(404);
    expect(await deliver()).toHaveLength(0);
  });

  it('answers a second sign-up with the same address exactly like the first, and tells the owner by mail', async () => {
    const first = await signUp('twice@example.ch');
    await deliver();
    const second = await signUp('TWICE@example.ch', { displayName: 'Someone Else', password: 'some other password' });
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.body).toBe(first.body);
    const mails = await deliver();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.envelope.to).toEqual(['twice@example.ch']);
    expect(mails[0]!.subject).toContain('Jemand wollte ein Konto mit Ihrer E-Mail-Adresse eröffnen');
    // Still unconfirmed: the notice carries a fresh confirmation link, and the first password stays.
    const token = tokenIn(mails[0]!, 'verify');
    expect((await post('/api/v1/portal/verify-email', { token })).statusCode).toBe(204);
    expect(await loginStatus('twice@example.ch', 'some other password')).toBe(401);
    expect(await loginStatus('twice@example.ch', PASSWORD)).toBe(200);
    const users = await database.db.selectFrom('users').select('id').where('username', '=', 'twice@example.ch').execute();
    expect(users).toHaveLength(1);
    const outbox = await mailTables(database.db).selectFrom('mail_outbox').select('purpose').where('recipient', '=', 'twice@example.ch').orderBy('created_at').execute();
    expect(outbox.map((row) => row.purpose)).toEqual(['verify-email', 'account-notice']);
    // A staff login with that form is taken just the same, and told nothing either.
    expect((await signUp('portal-cw-a@example.ch')).statusCode).toBe(202);
    await deliver();
  });

  it('resets a password end to end: the old one is refused, other sessions end, the link works once', async () => {
    const email = 'reset@example.ch';
    const session = await account(email, 'Rita Reset');
    expect((await get('/api/v1/portal/me', session)).statusCode).toBe(200);

    const unknown = await post(`/api/v1/portal/${officeA.slug}/password-reset`, { email: 'nobody@example.ch' });
    expect(unknown.statusCode).toBe(202);
    expect(await deliver()).toHaveLength(0);

    const asked = await post(`/api/v1/portal/${officeA.slug}/password-reset`, { email: 'Reset@Example.ch' });
    expect(asked.statusCode).toBe(202);
    expect(asked.body).toBe(unknown.body);
    const [mail] = await deliver();
    expect(mail!.envelope.to).toEqual([email]);
    expect(mail!.subject).toBe('Office portal-a: reset your password');
    const token = tokenIn(mail!, 'reset-password');

    const weak = await post('/api/v1/portal/password-reset/confirm', { token, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect((await post('/api/v1/portal/password-reset/confirm', { token, password: NEW_PASSWORD })).statusCode).toBe(204);
    expect(await loginStatus(email, PASSWORD)).toBe(401);
    expect(await loginStatus(email, NEW_PASSWORD)).toBe(200);
    // The session opened before the reset has ended.
    expect((await get('/api/v1/portal/me', session)).statusCode).toBe(401);
    const reuse = await post('/api/v1/portal/password-reset/confirm', { token, password: 'yet another password' });
    expect(reuse.json()).toMatchObject({ status: 400, code: 'portal-token-used' });
    // A verification token is no reset token.
    expect((await post('/api/v1/portal/password-reset/confirm', { token: 'y'.repeat(43), password: NEW_PASSWORD })).json()).toMatchObject({ code: 'portal-token-invalid' });
  });

  it('lets the linked person give and revoke mandates; the office links accounts and records mandates', async () => {
    const zoe = await account('zoe@example.ch', 'Zoë Müller');
    const rep = await account('anwalt@example.ch', 'Kanzlei Beispiel');
    await account('other@example.ch', 'Other Person');

    // Not linked yet: no mandate.
    const early = await post('/api/v1/portal/mandates', { representativeEmail: 'anwalt@example.ch', scope: ['applications'] }, zoe);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'portal-account-not-linked' });

    // Staff find the account and link it after checking the identity.
    const found = await get(`/api/v1/portal/accounts?email=${encodeURIComponent('Zoe@example.ch')}`, caseworkerA);
    expect(found.statusCode).toBe(200);
    const accountId = found.json<{ id: string; personId: string | null }>().id;
    expect(found.json()).toMatchObject({ personId: null, disabled: false });
    // Another office sees neither the account nor can link it.
    expect((await get(`/api/v1/portal/accounts?email=zoe@example.ch`, caseworkerB)).statusCode).toBe(404);
    const foreign = await post(`/api/v1/portal/accounts/${accountId}/person`, { personId }, caseworkerB);
    expect(foreign.statusCode).toBe(404);
    const linked = await post(`/api/v1/portal/accounts/${accountId}/person`, { personId }, caseworkerA);
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toEqual({ accountId, personId, name: 'Zoë Müller' });

    // The person gives a mandate by e-mail address.
    const unknown = await post('/api/v1/portal/mandates', { representativeEmail: 'nobody@example.ch', scope: ['applications'] }, zoe);
    expect(unknown.statusCode).toBe(400);
    expect((await post('/api/v1/portal/mandates', { representativeEmail: 'zoe@example.ch', scope: ['status'] }, zoe)).json()).toMatchObject({ code: 'portal-mandate-self' });
    const granted = await post('/api/v1/portal/mandates', { representativeEmail: 'Anwalt@example.ch', scope: ['status', 'applications', 'messages'], validUntil: '2099-12-31' }, zoe);
    expect(granted.statusCode).toBe(201);
    const mandate = granted.json<{ id: string }>();
    expect(granted.json()).toMatchObject({ scope: ['applications', 'status', 'messages'], grantedBy: 'person', state: 'active', validUntil: '2099-12-31', grantor: { personId, name: 'Zoë Müller' } });

    // The representative sees it as held; the person as given.
    const repView = await get('/api/v1/portal/me', rep);
    expect(repView.json()).toMatchObject({ person: null, mandatesHeld: [{ id: mandate.id, grantor: { name: 'Zoë Müller' }, state: 'active' }], mandatesGiven: [] });
    const zoeView = await get('/api/v1/portal/me', zoe);
    expect(zoeView.json()).toMatchObject({ person: { id: personId, name: 'Zoë Müller' }, mandatesGiven: [{ id: mandate.id, representative: { email: 'anwalt@example.ch', name: 'Kanzlei Beispiel' } }] });

    // An unlinked account cannot give one, nor revoke the person's.
    const other = await signIn(app, 'other@example.ch', PASSWORD, nextAddress());
    expect((await post('/api/v1/portal/mandates', { representativeEmail: 'anwalt@example.ch', scope: ['status'] }, other)).statusCode).toBe(409);
    expect((await post(`/api/v1/portal/mandates/${mandate.id}/revoke`, {}, rep)).statusCode).toBe(409);

    const revoked = await post(`/api/v1/portal/mandates/${mandate.id}/revoke`, {}, zoe);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ state: 'revoked' });
    expect((await post(`/api/v1/portal/mandates/${mandate.id}/revoke`, {}, zoe)).json()).toMatchObject({ status: 409, code: 'portal-mandate-revoked' });
    expect((await get('/api/v1/portal/me', rep)).json()).toMatchObject({ mandatesHeld: [{ id: mandate.id, state: 'revoked' }] });

    // The office records a mandate handed in on paper, lists and revokes it.
    const staffGrant = await post(`/api/v1/portal/persons/${personId}/mandates`, { representativeEmail: 'anwalt@example.ch', scope: ['appointments'] }, caseworkerA);
    expect(staffGrant.statusCode).toBe(201);
    expect(staffGrant.json()).toMatchObject({ grantedBy: 'staff', state: 'active' });
    const staffMandate = staffGrant.json<{ id: string }>().id;
    const list = await get(`/api/v1/portal/persons/${personId}/mandates`, caseworkerA);
    expect(list.json<{ id: string }[]>().map((item) => item.id).sort()).toEqual([mandate.id, staffMandate].sort());
    expect((await get(`/api/v1/portal/persons/${personId}/mandates`, caseworkerB)).statusCode).toBe(404);
    expect((await post(`/api/v1/portal/persons/${personId}/mandates`, { representativeEmail: 'anwalt@example.ch', scope: ['status'] }, caseworkerB)).statusCode).toBe(404);
    expect((await post(`/api/v1/portal/persons/${personId}/mandates/${staffMandate}/revoke`, {}, caseworkerB)).statusCode).toBe(404);
    const staffRevoke = await post(`/api/v1/portal/persons/${personId}/mandates/${staffMandate}/revoke`, {}, caseworkerA);
    expect(staffRevoke.statusCode).toBe(200);
    expect(staffRevoke.json()).toMatchObject({ state: 'revoked' });

    // Applicants do not reach the office's routes, staff not the applicant's.
    expect((await get(`/api/v1/portal/persons/${personId}/mandates`, zoe)).statusCode).toBe(403);
    expect((await get('/api/v1/portal/me', caseworkerA)).statusCode).toBe(403);
  });

  it('audits every account step and every read and write of a person’s data', async () => {
    const actions = await auditActions(officeA.id);
    for (const action of [
      'portal.signed-up',
      'portal.email-verified',
      'portal.sign-up-refused',
      'portal.password-reset-requested',
      'portal.password-reset',
      'portal.account-read',
      'portal.account-looked-up',
      'portal.account-linked',
      'portal.mandate-granted',
      'portal.mandate-revoked',
      'portal.mandates-read',
    ]) {
      expect(actions, action).toContain(action);
    }
    const linked = await database.db.selectFrom('audit_log').select(['entity_type', 'entity_id', 'actor_name']).where('action', '=', 'portal.account-linked').executeTakeFirstOrThrow();
    expect(linked).toEqual({ entity_type: 'person', entity_id: personId, actor_name: 'portal-cw-a' });
    // Nothing of office A was written under office B.
    expect(await auditActions(officeB.id)).toEqual([]);
  });
});

import { addDays, format, parseISO } from 'date-fns';
import type { RequestContext } from '../platform/auth/actor.js';
import { inTransaction, type Db } from '../platform/db/transaction.js';
import { createServicePoint, putService, setOpeningHours } from '../modules/appointments/index.js';
import { createCase, takeStep } from '../modules/cases/index.js';
import { insertLinkedAccount } from '../modules/portal/index.js';

/** The demo applicant's address (the demo login is `applicant`): mails to it land in the data folder. */
export const DEMO_APPLICANT_EMAIL = 'fatima.krasniqi@example.ch';

/**
 * The applicant's side of the demo: the `applicant` login is a portal account linked to a person
 * with a permit B, whose extension waits for a paper (an open request with a deadline), and the
 * office's counter with opening hours, so that a caseworker can invite to an appointment.
 */
export async function seedDemoPortal(db: Db, context: RequestContext, today: string): Promise<void> {
  const tenantId = context.actor.tenantId;
  const applicant = await db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('username', '=', 'applicant').executeTakeFirstOrThrow();
  // Someone with a permit B that runs out in a few weeks and no case yet.
  const holder = await db
    .selectFrom('permits')
    .leftJoin('cases', 'cases.person_id', 'permits.person_id')
    .select(['permits.person_id'])
    .where('permits.tenant_id', '=', tenantId)
    .where('permits.category', '=', 'B')
    .where('permits.ended_on', 'is', null)
    .where('permits.valid_until', '>=', format(addDays(parseISO(today), 20), 'yyyy-MM-dd'))
    .where('cases.id', 'is', null)
    .orderBy('permits.valid_until')
    .executeTakeFirstOrThrow();
  await inTransaction(db, (trx) => insertLinkedAccount(trx, { userId: applicant.id, tenantId, kind: 'applicant', email: DEMO_APPLICANT_EMAIL, language: 'de', personId: holder.person_id, at: new Date() }));
  const caseId = await createCase(db, context, { typeSlug: 'permit-extension', personId: holder.person_id, receivedOn: format(addDays(parseISO(today), -6), 'yyyy-MM-dd'), checklist: ['passport'] });
  const version = (await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version;
  await takeStep(db, context, caseId, version, 'request-papers', { fields: { papersDueDate: format(addDays(parseISO(today), 14), 'yyyy-MM-dd') } });

  const point = await createServicePoint(db, context, { name: 'Schalter Fruttstrasse', address: 'Fruttstrasse 15, 6002 Luzern', counters: 2 });
  const weekdays = [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opens: '08:00', closes: '11:45' },
    { weekday, opens: '13:30', closes: '16:30' },
  ]);
  await setOpeningHours(db, context, point.id, point.version, weekdays);
  await putService(db, context, 'biometrics', { names: { de: 'Biometrische Daten erfassen', fr: 'Saisie des données biométriques', it: 'Rilevamento dei dati biometrici', en: 'Biometric data capture' }, slotMinutes: 15 });
}

import type { Actor } from '../../platform/auth/actor.js';
import type { Db, Trx } from '../../platform/db/transaction.js';
import { problems } from '../../platform/errors.js';
import { personName } from '../register/index.js';
import * as repo from './repository.js';
import { calendarDate, mandateValidOn, type MandateScope } from './rules.js';

/**
 * Whom a portal account may act for: the person the office linked it to, and the persons who gave
 * it an active mandate for the scope in question (an employer files the extension, a lawyer reads
 * the status). Everything the portal shows or does for a person passes through here.
 */

export interface PersonActedFor {
  id: string;
  name: string;
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  nationality: string;
  /** 'self': the account's own person; 'mandate': under a mandate. */
  as: 'self' | 'mandate';
}

export async function ownPortalAccount(db: Db | Trx, actor: Actor, forUpdate = false): Promise<repo.AccountRecord> {
  const account = await repo.findAccount(db, actor.tenantId, actor.id, forUpdate);
  if (!account) throw problems.notFound('portal-account');
  return account;
}

/** Every person the account acts for within the scope, its own person first. */
export async function personsActedFor(db: Db | Trx, actor: Actor, scope: MandateScope, now: Date = new Date()): Promise<PersonActedFor[]> {
  const account = await ownPortalAccount(db, actor);
  const today = calendarDate(now);
  const ids: { id: string; as: PersonActedFor['as'] }[] = account.personId ? [{ id: account.personId, as: 'self' }] : [];
  for (const mandate of await repo.mandatesHeldBy(db, actor.tenantId, actor.id)) {
    if (mandate.revokedAt === null && mandateValidOn(mandate, today) && mandate.scope.includes(scope) && !ids.some((known) => known.id === mandate.grantorPersonId)) ids.push({ id: mandate.grantorPersonId, as: 'mandate' });
  }
  const persons: PersonActedFor[] = [];
  for (const { id, as } of ids) {
    const person = await personName(db, actor.tenantId, id);
    if (person) persons.push({ id: person.id, name: `${person.firstNames} ${person.officialName}`.trim(), officialName: person.officialName, firstNames: person.firstNames, dateOfBirth: person.dateOfBirth, nationality: person.nationality, as });
  }
  return persons;
}

/** The person, when the account may act for them in the scope; 404 otherwise (whether the person exists is not told). */
export async function actingFor(db: Db | Trx, actor: Actor, personId: string, scope: MandateScope, now: Date = new Date()): Promise<PersonActedFor> {
  const person = (await personsActedFor(db, actor, scope, now)).find((candidate) => candidate.id === personId);
  if (!person) throw problems.notFound('person');
  return person;
}

/**
 * Who opens the case of a sent application and files its papers: the online counter, with the
 * office-wide reach of a caseworker for that one command (like the exchange inbox). The audit log
 * names the account it acted for.
 */
export function onlineCounterActor(actor: Actor, email: string): Actor {
  return {
    kind: 'system',
    id: 'portal',
    name: `portal:${email}`.slice(0, 100),
    displayName: 'Online-Schalter',
    tenantId: actor.tenantId,
    tenantSlug: actor.tenantSlug,
    tenantName: actor.tenantName,
    roles: [{ role: 'caseworker', unitId: null }],
    locale: actor.locale,
    sessionIdHash: null,
  };
}

import type { RequestContext } from '../../platform/auth/actor.js';
import type { Trx } from '../../platform/db/transaction.js';
import type { CasesTable } from '../../platform/db/tables.js';
import { formatLetterDate, renderLetter, storeDocument, type DocumentInfo, type Letterhead } from '../documents/index.js';
import { latestMainPermit } from '../permits/index.js';
import { postalAddressOf } from '../register/index.js';
import type { Selectable } from 'kysely';
import type { CaseTypeDefinition, Language } from './rules/definition.js';
import { fillTemplate, missingChecklistItems } from './rules/workflow.js';

type CaseRow = Selectable<CasesTable>;

interface OfficeSettings {
  letterhead?: Partial<Letterhead> & { place?: string };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Everything a template may say, in the letter's language. */
interface Addressee {
  official_name: string;
  first_names: string;
  date_of_birth: string;
  nationality: string;
}

async function placeholderValues(trx: Trx, context: RequestContext, row: CaseRow, type: CaseTypeDefinition, language: Language, officeName: string, person: Addressee): Promise<Record<string, string>> {
  const date = (iso: string | null | undefined) => (iso ? formatLetterDate(iso, language) : '');
  const permit = await latestMainPermit(trx, row.person_id);
  const deadline = await trx.selectFrom('deadlines').select('working_due_date').where('case_id', '=', row.id).where('status', '=', 'open').orderBy('working_due_date', 'desc').executeTakeFirst();
  const decision = row.decision as { reason?: string; decidedAt?: string } | null;
  const values: Record<string, string> = {
    'person.fullName': `${person.first_names} ${person.official_name}`,
    'person.firstName': person.first_names.split(' ')[0] ?? person.first_names,
    'person.dateOfBirth': ISO_DATE.test(person.date_of_birth) && !person.date_of_birth.includes('-00') ? date(person.date_of_birth) : person.date_of_birth,
    'person.nationality': person.nationality,
    'case.reference': row.reference,
    'case.typeName': type.names[language],
    'case.openedOn': date(row.received_on),
    'office.name': officeName,
    'caseworker.name': context.actor.displayName,
    'decision.reason': decision?.reason ?? '',
    'decision.date': date(decision?.decidedAt?.slice(0, 10)),
    missingPapers: missingChecklistItems(type, row.checklist).filter((item) => item.kind === 'paper').map((item) => `- ${item.names[language]}`).join('\n'),
    'deadline.dueDate': date(deadline?.working_due_date),
    'appeal.days': String(type.appeal?.days ?? ''),
    'permit.category': permit?.category ?? '',
    'permit.validUntil': date(permit?.valid_until),
    today: date(new Date().toISOString().slice(0, 10)),
  };
  for (const field of type.fields) {
    const value = row.fields[field.id] ?? '';
    values[`fields.${field.id}`] = field.type === 'date' && ISO_DATE.test(value) ? date(value) : field.type === 'amount' && value !== '' ? `CHF ${Number(value).toFixed(2)}` : value;
  }
  return values;
}

/**
 * Writes a letter of the case type in the case's language, renders it as PDF with the office's
 * letterhead and files it in the case with its hash.
 */
export async function produceLetter(trx: Trx, context: RequestContext, row: CaseRow, type: CaseTypeDefinition, letterId: string): Promise<DocumentInfo> {
  const letter = type.letters[letterId];
  if (!letter) throw new Error(`Case type ${type.slug} has no letter ${letterId}`);
  const language = row.language;
  const tenant = await trx.selectFrom('tenants').select(['name', 'settings', 'country']).where('id', '=', row.tenant_id).executeTakeFirstOrThrow();
  const settings = tenant.settings as OfficeSettings;
  const officeName = settings.letterhead?.officeName ?? tenant.name;
  const person = await trx.selectFrom('persons').select(['official_name', 'first_names', 'date_of_birth', 'nationality']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
  const values = await placeholderValues(trx, context, row, type, language, officeName, person);
  const fill = (text: string) => fillTemplate(text, values);
  const today = new Date().toISOString().slice(0, 10);
  const title = fill(letter.title[language]);
  const pdf = await renderLetter({
    language,
    letterhead: { officeName, unitName: settings.letterhead?.unitName ?? null, addressLines: settings.letterhead?.addressLines ?? [], phone: settings.letterhead?.phone ?? null, email: settings.letterhead?.email ?? null, website: settings.letterhead?.website ?? null },
    addressee: { name: `${person.first_names} ${person.official_name}`, addressLines: await postalAddressOf(trx, row.person_id) },
    place: settings.letterhead?.place ?? '',
    date: today,
    reference: row.reference,
    caseworker: context.actor.displayName,
    title,
    subject: fill(letter.subject[language]),
    paragraphs: letter.paragraphs[language].map(fill),
    decision: letter.decisionPoints ? { heading: DECISION_HEADING[language], points: letter.decisionPoints[language].map(fill) } : null,
    appealNotice: letter.appealNotice === true && type.appeal ? { heading: type.appeal.heading[language], text: fill(type.appeal.notice[language]) } : null,
    signature: { closing: tenant.country === 'DE' && language === 'de' ? 'Mit freundlichen Grüßen' : CLOSING[language], names: [officeName, context.actor.displayName] },
    footer: `${row.reference} · ${title}`,
  });
  return storeDocument(trx, {
    tenantId: row.tenant_id,
    caseId: row.id,
    personId: row.person_id,
    kind: 'letter',
    template: letterId,
    title,
    fileName: `${row.reference}-${letterId}-${language}.pdf`,
    mediaType: 'application/pdf',
    language,
    content: pdf,
    createdBy: context.actor.displayName,
  });
}

const DECISION_HEADING: Record<Language, string> = { de: 'Wir verfügen:', fr: 'Nous décidons :', it: 'Decidiamo:', en: 'We decide:' };
// Swiss German writes ss for ß; German offices get their own closing above.
const CLOSING: Record<Language, string> = { de: 'Freundliche Grüsse', fr: 'Meilleures salutations', it: 'Cordiali saluti', en: 'Kind regards' };

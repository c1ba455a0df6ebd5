import type { TFunction } from 'i18next';
import type { Deadline, RegistrationType } from '../../api/types';
import type { Language } from '../../i18n';
import { addToIsoDate, formatRegisterDate } from '../../lib/format';

/** Deadline kinds the register starts (docs/register.md); others show their legal basis. */
export const DEADLINE_KINDS = [
  'deposit-papers',
  'register-stay',
  'report-private-lodging',
  'guest-exemption-ends',
  'proof-of-residence',
  // Started by the finance module: an invoice's payment (its reminder), a deposit's settlement on departure.
  'invoice-reminder',
  'deposit-settlement',
] as const;
export type KnownDeadlineKind = (typeof DEADLINE_KINDS)[number];

export function isKnownDeadlineKind(kind: string): kind is KnownDeadlineKind {
  return (DEADLINE_KINDS as readonly string[]).includes(kind);
}

/** "NG § 3: deposit papers within 14 days" → "NG § 3". */
export function shortLegalBasis(legalBasis: string): string {
  const colon = legalBasis.indexOf(':');
  return (colon > 0 ? legalBasis.slice(0, colon) : legalBasis).trim();
}

/**
 * The basis shown with a deadline. An invoice's reminder names the invoice in English
 * ("Invoice 2026-000004 due on …: reminder if unpaid"); it is shown as "Rechnung 2026-000004".
 */
function basisOf(deadline: Pick<Deadline, 'kind' | 'legalBasis'>, t: TFunction): string {
  if (deadline.kind === 'invoice-reminder') {
    const number = /^Invoice\s+(\S+)/.exec(deadline.legalBasis)?.[1];
    if (number) return t('deadlines.invoice', { number });
  }
  return shortLegalBasis(deadline.legalBasis);
}

/** What a deadline asks for, in the UI language ("Deposit papers"). */
export function deadlineLabel(deadline: Deadline, t: TFunction): string {
  if (isKnownDeadlineKind(deadline.kind)) return t(`deadlines.kinds.${deadline.kind}`);
  return shortLegalBasis(deadline.legalBasis) || deadline.kind;
}

/** The one-line notice of a started deadline: "Papers due by 06.12.2026 (NG § 3)". */
export function deadlineNotice(deadline: Deadline, language: Language, t: TFunction): string {
  const date = formatRegisterDate(deadline.dueDate, language, t).text;
  const basis = basisOf(deadline, t);
  if (isKnownDeadlineKind(deadline.kind)) return t(`deadlines.notice.${deadline.kind}`, { date, basis });
  return t('deadlines.notice.other', { date, basis: basis || deadline.kind });
}

/**
 * The due date a registration type starts (docs/register.md, "Deadlines started at the front
 * desk"), for the explanation under the field. The server decides; this only previews it.
 */
export function previewDueDate(type: RegistrationType, arrivalDate: string): string | null {
  switch (type) {
    case 'settled':
    case 'stay':
      return addToIsoDate(arrivalDate, { days: 14 });
    case 'guest':
      return addToIsoDate(arrivalDate, { months: 2 });
    case 'private-lodging':
      return addToIsoDate(arrivalDate, { days: 10 });
    case 'weekly-commuter':
    case 'self-employed':
      return addToIsoDate(arrivalDate, { months: 1 });
  }
}

/**
 * The legal basis in the UI language: the API words it in English ("NG § 3: deposit papers
 * within 14 days"), so known kinds show their paragraph with a translated rule.
 */
export function legalBasisText(deadline: Pick<Deadline, 'kind' | 'legalBasis'>, t: TFunction): string {
  if (!isKnownDeadlineKind(deadline.kind)) return deadline.legalBasis;
  const basis = basisOf(deadline, t);
  const rule = t(`deadlines.rules.${deadline.kind}`);
  return basis ? `${basis}: ${rule}` : rule;
}

import type { Language } from '../i18n';

/** RFC 9457 problem detail as returned by every MigraFlow API error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  /** A human sentence in the request's language. */
  detail: string;
  /** Stable machine code, e.g. "invalid-credentials". */
  code: string;
  requestId: string;
  errors?: FieldProblem[];
  /** Further members of the problem document (`candidates`, `current`, …), unchecked. */
  extensions?: Record<string, unknown>;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export type RoleSlug =
  | 'caseworker'
  | 'team-lead'
  | 'municipal-clerk'
  | 'admin'
  | 'auditor'
  | 'applicant'
  | 'partner';

export interface SessionInfo {
  user: {
    id: string;
    username: string;
    displayName: string;
    locale: Language;
    roles: string[];
  };
  tenant: {
    slug: string;
    name: string;
  };
  csrfToken: string;
  /** How this session signed in (absent for API tokens). */
  signIn?: SignInInfo;
}

export interface SignInInfo {
  method: 'password' | 'password+totp' | 'oidc';
  authenticatedAt: string;
  totpEnabled: boolean;
  /** The office requires an authenticator app and this user has none: only enrolment is open. */
  totpEnrolmentRequired: boolean;
  reauthenticateWith: 'password' | 'oidc';
}

/** The password was right; the sign-in finishes with the authenticator code (POST /auth/login/totp). */
export interface SecondFactorRequired {
  secondFactor: 'totp';
  pendingToken: string;
  expiresAt: string;
}

export type Sex = 'm' | 'f' | 'x';

/** Why a search hit matched, strongest first. */
export const MATCH_REASONS = [
  'ahvn13',
  'document-number',
  'date-of-birth',
  'birth-year',
  'exact-name',
  'name-without-diacritics',
  'similar-spelling',
  'sounds-alike',
] as const;
export type MatchReason = (typeof MATCH_REASONS)[number];

export interface PersonSummary {
  id: string;
  officialName: string;
  firstNames: string;
  /** YYYY-MM-DD; unknown parts are 00 (1980-00-00, 1980-05-00). */
  dateOfBirth: string;
  sex: Sex;
  /** ISO 3166 alpha-2, "XX" unknown, "XS" stateless. */
  nationality: string;
  municipality: string | null;
  blocked: boolean;
}

/** A search hit: a person summary with its rank and why it matched. */
export interface PersonHit extends PersonSummary {
  score: number;
  reasons: MatchReason[];
}

// ---- register (Lucerne NG §§ 2a–17) -------------------------------------------------------

export const REGISTRATION_TYPES = [
  'settled',
  'stay',
  'guest',
  'private-lodging',
  'weekly-commuter',
  'self-employed',
] as const;
export type RegistrationType = (typeof REGISTRATION_TYPES)[number];

export type ResidenceKind = 'main' | 'secondary';

export interface Residence {
  id: string;
  kind: ResidenceKind;
  registrationType: RegistrationType;
  municipalityBfs: number;
  municipalityName: string;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  town: string | null;
  egid: number | null;
  ewid: number | null;
  householdId: string | null;
  arrivalDate: string;
  arrivedFrom: string | null;
  departureDate: string | null;
  departedTo: string | null;
}

export const PAPER_KINDS = [
  'passport',
  'identity-card',
  'heimatschein',
  'family-book',
  'residence-certificate',
  'other',
] as const;
export type PaperKind = (typeof PAPER_KINDS)[number];

export interface Paper {
  id: string;
  personId: string;
  receiptNumber: number;
  kind: PaperKind;
  designation: string;
  number: string | null;
  issuingCountry: string;
  validUntil: string | null;
  depositedOn: string;
  /** Decimal string, e.g. "30.00". */
  feeChf: string;
  returnedOn: string | null;
  returnedBy: string | null;
  receiptUrl: string;
}

export interface Deadline {
  id: string;
  /** e.g. "deposit-papers", "report-private-lodging", "guest-exemption-ends". */
  kind: string;
  /** The legal basis in words, e.g. "NG § 3: deposit papers within 14 days". */
  legalBasis: string;
  dueDate: string;
  status: 'open' | 'met' | 'cancelled';
}

export const CIVIL_STATUSES = [
  'single',
  'married',
  'widowed',
  'divorced',
  'registered-partnership',
  'dissolved-partnership',
  'unknown',
] as const;
export type CivilStatus = (typeof CIVIL_STATUSES)[number];

/** Religion codes of eCH-0011 (BFS): reformed, Roman Catholic, Christ Catholic, Jewish, none, other, unknown. */
export const RELIGION_CODES = ['111', '121', '122', '211', '711', '811', '000'] as const;
export type ReligionCode = (typeof RELIGION_CODES)[number];

export function isReligionCode(value: string): value is ReligionCode {
  return (RELIGION_CODES as readonly string[]).includes(value);
}

export const LEGAL_CAPACITIES = ['full', 'limited', 'none'] as const;
export type LegalCapacity = (typeof LEGAL_CAPACITIES)[number];

export interface Identity {
  ahvn13: string | null;
  officialName: string;
  firstNames: string;
  callName: string | null;
  maidenName: string | null;
  allianceName: string | null;
  nameInForeignPassport: string | null;
  aliasName: string | null;
  sex: Sex;
  dateOfBirth: string;
  placeOfBirth: string | null;
  countryOfBirth: string | null;
  nationality: string;
  placeOfOrigin: string | null;
  civilStatus: CivilStatus;
  civilStatusDate: string | null;
  fatherName: string | null;
  motherName: string | null;
  legalCapacity: LegalCapacity | null;
  fireServiceDuty: boolean | null;
  religion: string | null;
}

export type RelationKind = 'spouse' | 'registered-partner' | 'child';

export interface Relation {
  id: string;
  kind: RelationKind;
  relatedPersonId: string | null;
  relatedName: string | null;
  custody: boolean | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface PersonFile {
  id: string;
  version: number;
  asOf: string | null;
  identity: Identity;
  blockingNote: boolean;
  papersBlock: boolean;
  mergedInto: string | null;
  residences: Residence[];
  relations: Relation[];
  papers: Paper[];
  deadlines: Deadline[];
}

export type HistoryAspect = 'name' | 'civil-status' | 'nationality';
export type HistoryReason = 'initial' | 'change' | 'correction' | 'merge';

export interface HistoryEntry {
  id: string;
  aspect: HistoryAspect;
  validFrom: string;
  validTo: string | null;
  data: Record<string, unknown>;
  reason: HistoryReason;
  recordedAt: string;
  recordedBy: string | null;
  supersededAt: string | null;
}

export type ResidenceVersion = Residence & { recordedAt: string; supersededAt: string | null };

export interface PersonHistory {
  versions: HistoryEntry[];
  residences: ResidenceVersion[];
}

export type IdentityChanges = Partial<Identity> & { blockingNote?: boolean; papersBlock?: boolean };

export interface PersonPatch {
  changes: IdentityChanges;
  validFrom?: string;
  correction?: boolean;
}

export interface ArrivalPerson {
  ahvn13?: string;
  officialName: string;
  firstNames: string;
  sex: Sex;
  dateOfBirth: string;
  nationality: string;
  placeOfOrigin?: string;
  civilStatus?: CivilStatus;
  placeOfBirth?: string;
  countryOfBirth?: string;
  callName?: string;
  maidenName?: string;
}

export interface ArrivalResidence {
  kind: ResidenceKind;
  registrationType: RegistrationType;
  municipalityBfs: number;
  street: string;
  houseNumber: string;
  postalCode: string;
  town: string;
  egid?: number;
  ewid?: number;
  arrivalDate: string;
  arrivedFrom?: string;
}

export interface ArrivalRequest {
  personId?: string;
  person?: ArrivalPerson;
  confirmNotDuplicate?: boolean;
  residence: ArrivalResidence;
}

export interface ArrivalResult {
  person: PersonFile;
  deadline: Deadline | null;
}

export interface MoveRequest {
  date: string;
  street: string;
  houseNumber: string;
  postalCode?: string;
  egid?: number;
  ewid?: number;
}

export interface DepartureRequest {
  date: string;
  departedTo: string;
}

export interface DepositPapersRequest {
  kind: PaperKind;
  designation: string;
  number?: string;
  issuingCountry: string;
  validUntil?: string;
  depositedOn: string;
  feeChf: number;
}

export type JournalOrder = 'chronological' | 'alphabetical';

export interface JournalEntry {
  date: string;
  event: 'deposit' | 'return';
  receiptNumber: number;
  paperId: string;
  personId: string;
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  designation: string;
  number: string | null;
  validUntil: string | null;
  feeChf: string;
}

export type ReconciliationKind = 'reported-not-registered' | 'registered-but-moved-out';

export interface ReconciliationItem {
  kind: ReconciliationKind;
  reportId: string;
  /** e.g. "landlord", "host", "collective-household", "employer". */
  reporterKind: string;
  reporterName: string;
  officialName: string;
  firstNames: string;
  egid: number | null;
  ewid: number | null;
  street: string | null;
  houseNumber: string | null;
  leaseStart: string | null;
  leaseEnd: string | null;
  personId: string | null;
  since: string;
}

export interface Municipality {
  bfs: number;
  name: string;
  postalCode: string | null;
}

// ---- permits (eCH-0006 categories, AIG) -----------------------------------------------------

export type StatisticsGroup = 'permanent' | 'non-permanent' | 'asylum' | 'other' | 'none';

/** One category of the office's permit catalogue (B, C, L, … or German residence titles). */
export interface PermitCategory {
  code: string;
  echCode: string | null;
  legalBasis: string;
  names: { de: string; fr: string; it: string; en: string };
  isMain: boolean;
  statisticsGroup: StatisticsGroup;
  /** e.g. `{ euEftaMonths: 60, otherMonths: 12 }`, `{ unlimited: true, controlMonths: 60 }`, `{ maxMonths: 12 }`. */
  validity: Record<string, unknown>;
  active: boolean;
}

export const ADMISSION_REASONS = [
  'eu-efta-employment',
  'family-eu-efta',
  'quota-croatia-service-providers',
  'quota-employment-non-eu',
  'family-non-eu',
  'recognised-refugee',
  'hardship',
  'student',
  'without-employment',
  'after-asylum-procedure',
  'asylum-primary',
  'asylum-secondary',
  'protection',
  'provisional-admission',
  'other',
] as const;
export type AdmissionReason = (typeof ADMISSION_REASONS)[number];

export function isAdmissionReason(value: string): value is AdmissionReason {
  return (ADMISSION_REASONS as readonly string[]).includes(value);
}

export const PERMIT_END_REASONS = ['revoked', 'category-changed', 'departure', 'death', 'expired', 'naturalised'] as const;
export type PermitEndReason = (typeof PERMIT_END_REASONS)[number];

/** The reasons a user may end a permit with (the others are set by the system). */
export const MANUAL_END_REASONS = ['revoked', 'departure', 'death'] as const;
export type ManualEndReason = (typeof MANUAL_END_REASONS)[number];

export const PERMIT_EVENTS = ['granted', 'extended', 'category-changed', 'expired', 'revoked', 'ended-departure', 'ended-death', 'ended-naturalisation', 'corrected'] as const;
export type PermitEvent = (typeof PERMIT_EVENTS)[number];

export interface PermitHistoryEntry {
  event: PermitEvent;
  date: string;
  details: Record<string, unknown>;
  recordedBy: string | null;
}

export interface Permit {
  id: string;
  personId: string;
  category: string;
  isMain: boolean;
  admissionReason: AdmissionReason;
  validFrom: string;
  /** Last day of validity; null = unlimited (C). */
  validUntil: string | null;
  /** C: the card is checked on this date. */
  controlDate: string | null;
  /** First day no longer in force, when ended early. */
  endedOn: string | null;
  endReason: PermitEndReason | null;
  conditions: string | null;
  cardNumber: string | null;
  /** L: first day of the uninterrupted stay on L permits. */
  lStayStart: string | null;
  immigrationGroup: 'permanent' | 'non-permanent' | 'asylum' | null;
  /** Sent back as If-Match on every write to this permit. */
  version: number;
  history: PermitHistoryEntry[];
}

export interface GrantPermitRequest {
  category: string;
  admissionReason: AdmissionReason;
  validFrom: string;
  /** Omitted: the category's default validity. */
  validUntil?: string | null;
  conditions?: string | null;
  cardNumber?: string | null;
}

export interface EndPermitRequest {
  date: string;
  reason: ManualEndReason;
}

export interface ExpiringPermit {
  permitId: string;
  personId: string;
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  nationality: string;
  category: string;
  validUntil: string;
  /** Negative when expired. */
  daysLeft: number;
  expired: boolean;
}

// ---- key figures (statistics) -----------------------------------------------------------------

/** Table 1: foreign population on a date, by the permit in force. */
export interface ForeignPopulation {
  date: string;
  permanent: { total: number; C: number; B: number; L_over_12_months: number };
  nonPermanent: { total: number; L_up_to_12_months: number };
  asylum: { total: number; N: number; F: number };
  other: { S: number; G: number; Ci: number };
}

/** Table 2: immigration in a period, by reason. */
export interface Immigration {
  from: string;
  to: string;
  permanent: {
    total: number;
    B_EU_EFTA_employment: number;
    family_EU_EFTA: number;
    B_quota_croatia_service_providers: number;
    quota_employment_non_EU: number;
    family_non_EU: number;
    recognised_refugees: number;
    hardship: number;
    students: number;
    other: number;
    without_employment: number;
    after_asylum_procedure: number;
  };
  nonPermanent: { total: number; L_EU_EFTA_employment: number; L_quota_non_EU: number; other: number };
  asylum: { total: number; primary_applications: number; secondary_applications: number };
}

export type SpreadsheetFormat = 'csv' | 'xlsx';

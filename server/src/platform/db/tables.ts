import type { ColumnType, Generated } from 'kysely';

/**
 * The database schema as Kysely sees it. It mirrors `server/migrations/*.sql`; a migration that
 * changes a table changes the interface here in the same commit.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export type RoleSlug = 'caseworker' | 'team-lead' | 'municipal-clerk' | 'admin' | 'auditor' | 'applicant' | 'partner';

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  country: 'CH' | 'DE';
  region: string;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface UnitsTable {
  id: Generated<string>;
  tenant_id: string;
  slug: string;
  name: string;
  kind: 'office' | 'municipality';
  bfs_number: number | null;
}

export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  username: string;
  display_name: string;
  email: string | null;
  locale: Generated<'de' | 'fr' | 'it' | 'en'>;
  password_hash: string | null;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Encrypted (AES-256-GCM) TOTP secret; 0008_sign_in. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  oidc_subject: string | null;
}

export interface UserRolesTable {
  id: Generated<string>;
  user_id: string;
  role: RoleSlug;
  unit_id: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  tenant_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
  authenticated_at: Timestamp;
  sign_in_method: ColumnType<'password' | 'password+totp' | 'oidc', 'password' | 'password+totp' | 'oidc' | undefined, 'password' | 'password+totp' | 'oidc'>;
}

/** Password accepted, second factor outstanding (0008_sign_in). */
export interface SignInChallengesTable {
  id_hash: string;
  user_id: string;
  tenant_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  consumed_at: Date | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  tenant_id: string;
  token_hash: string;
  role: RoleSlug;
  unit_id: string | null;
  label: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditChainHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  chain: string;
  seq: number;
  occurred_at: Date;
  tenant_id: string | null;
  actor_id: string | null;
  actor_kind: 'user' | 'token' | 'system' | 'anonymous';
  actor_name: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  request_id: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export type CivilStatus = 'single' | 'married' | 'widowed' | 'divorced' | 'registered-partnership' | 'dissolved-partnership' | 'unknown';
export type RegistrationType = 'settled' | 'stay' | 'guest' | 'private-lodging' | 'weekly-commuter' | 'self-employed';
export type PersonAspect = 'name' | 'civil-status' | 'nationality';

export interface PersonsTable {
  id: Generated<string>;
  tenant_id: string;
  ahvn13: string | null;
  official_name: string;
  first_names: string;
  call_name: string | null;
  maiden_name: string | null;
  alliance_name: string | null;
  name_in_foreign_passport: string | null;
  alias_name: string | null;
  sex: 'm' | 'f' | 'x';
  date_of_birth: string;
  place_of_birth: string | null;
  country_of_birth: string | null;
  nationality: string;
  place_of_origin: string | null;
  civil_status: Generated<CivilStatus>;
  civil_status_date: string | null;
  father_name: string | null;
  mother_name: string | null;
  legal_capacity: 'full' | 'limited' | 'none' | null;
  fire_service_duty: boolean | null;
  religion: string | null;
  date_of_death: string | null;
  blocking_note: Generated<boolean>;
  papers_block: Generated<boolean>;
  merged_into: string | null;
  search_name: ColumnType<string, never, never>;
  search_key: ColumnType<string, never, never>;
  name_phonetic: ColumnType<string, never, never>;
  first_phonetic: ColumnType<string, never, never>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PersonVersionsTable {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  aspect: PersonAspect;
  valid_from: string;
  valid_to: string | null;
  data: Json;
  reason: 'initial' | 'change' | 'correction' | 'merge';
  recorded_at: Generated<Date>;
  recorded_by: string | null;
  superseded_at: Date | null;
}

export interface ResidencesTable {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  kind: 'main' | 'secondary';
  registration_type: Generated<RegistrationType>;
  municipality_bfs: number;
  municipality_name: string;
  street: string | null;
  house_number: string | null;
  postal_code: string | null;
  town: string | null;
  egid: number | null;
  ewid: number | null;
  household_id: string | null;
  arrival_date: string;
  arrived_from: string | null;
  departure_date: string | null;
  departed_to: string | null;
  recorded_at: Generated<Date>;
  recorded_by: string | null;
  superseded_at: Date | null;
}

export interface PersonRelationsTable {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  kind: 'spouse' | 'registered-partner' | 'child';
  related_person_id: string | null;
  related_name: string | null;
  custody: boolean | null;
  valid_from: string | null;
  valid_to: string | null;
  recorded_at: Generated<Date>;
  superseded_at: Date | null;
}

export type PaperKind = 'passport' | 'identity-card' | 'heimatschein' | 'family-book' | 'residence-certificate' | 'other';

export interface DepositedPapersTable {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  municipality_bfs: number;
  receipt_number: number;
  kind: PaperKind;
  designation: string;
  number: string | null;
  issuing_country: string;
  valid_until: string | null;
  deposited_on: string;
  fee_chf: ColumnType<string, string | number | undefined, string | number>;
  returned_on: string | null;
  returned_by: string | null;
  recorded_at: Generated<Date>;
}

export interface TenancyReportsTable {
  id: Generated<string>;
  tenant_id: string;
  municipality_bfs: number;
  reporter_kind: 'landlord' | 'host' | 'collective-household' | 'employer';
  reporter_name: string;
  official_name: string;
  first_names: string;
  date_of_birth: string | null;
  street: string | null;
  house_number: string | null;
  egid: number | null;
  ewid: number | null;
  lease_start: string | null;
  lease_end: string | null;
  received_on: string;
  search_key: ColumnType<string, never, never>;
  resolved_at: Date | null;
  resolution: string | null;
}

export interface DeadlinesTable {
  id: Generated<string>;
  tenant_id: string;
  person_id: string | null;
  kind: string;
  legal_basis: string;
  due_date: string;
  status: Generated<'open' | 'met' | 'cancelled'>;
  source: string;
  created_at: Generated<Date>;
  closed_at: Date | null;
  case_id: ColumnType<string | null, string | null | undefined, string | null>;
  unit_id: ColumnType<string | null, string | null | undefined, string | null>;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  owner_role: Generated<'caseworker' | 'municipal-clerk'>;
  working_due_date: ColumnType<string | null, string | null | undefined, string | null>;
  reminder_days: Generated<number>;
  escalation_days: Generated<number>;
  stage: Generated<number>;
  next_fire_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DeadlineFiringsTable {
  id: Generated<string>;
  deadline_id: string;
  stage: number;
  worker: string;
  fired_at: Generated<Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  tenant_id: string;
  recipient_user_id: string | null;
  recipient_role: string | null;
  recipient_unit_id: string | null;
  deadline_id: string | null;
  case_id: string | null;
  kind: string;
  message: Json;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export interface CaseTypesTable {
  id: Generated<string>;
  tenant_id: string;
  slug: string;
  version: number;
  definition: Json;
  checksum: string;
  active: Generated<boolean>;
  loaded_at: Generated<Date>;
}

export interface CaseCountersTable {
  tenant_id: string;
  year: number;
  last_number: number;
}

export interface CasesTable {
  id: Generated<string>;
  tenant_id: string;
  reference: string;
  case_type_id: string;
  type_slug: string;
  person_id: string;
  unit_id: string;
  assignee_id: string | null;
  state: string;
  phase: 'open' | 'waiting' | 'decided' | 'closed';
  checklist: ColumnType<Record<string, { done: boolean; by: string; at: string }>, string | undefined, string>;
  fields: ColumnType<Record<string, string>, string | undefined, string>;
  language: 'de' | 'fr' | 'it' | 'en';
  received_on: string;
  opened_at: Generated<Date>;
  next_due_on: string | null;
  pending_decision: ColumnType<unknown, string | null | undefined, string | null>;
  decision: ColumnType<unknown, string | null | undefined, string | null>;
  decided_at: Date | null;
  notified_on: string | null;
  appeal_until: string | null;
  appeal_status: 'filed' | 'dismissed' | 'upheld' | 'withdrawn' | null;
  appeal_filed_on: string | null;
  legal_force_on: string | null;
  pending_effects: ColumnType<unknown[], string | undefined, string>;
  closed_at: Date | null;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export interface CaseEventsTable {
  id: Generated<string>;
  tenant_id: string;
  case_id: string;
  at: Generated<Date>;
  kind: string;
  actor_name: string;
  text: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface CaseTasksTable {
  id: Generated<string>;
  tenant_id: string;
  case_id: string;
  title: string;
  due_on: string | null;
  assignee_id: string | null;
  done_at: Date | null;
  done_by: string | null;
  created_at: Generated<Date>;
}

export interface DocumentsTable {
  id: Generated<string>;
  tenant_id: string;
  case_id: string | null;
  person_id: string | null;
  kind: 'letter' | 'attachment';
  template: string | null;
  title: string;
  file_name: string;
  media_type: string;
  language: string | null;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  created_by: string;
  created_at: Generated<Date>;
}

export interface PermitCategoriesTable {
  tenant_id: string;
  code: string;
  ech_code: string | null;
  legal_basis: string;
  names: ColumnType<Record<string, string>, string, string>;
  is_main: Generated<boolean>;
  statistics_group: 'permanent' | 'non-permanent' | 'asylum' | 'other' | 'none';
  validity: ColumnType<Record<string, unknown>, string | undefined, string>;
  active: Generated<boolean>;
}

export interface PermitsTable {
  id: Generated<string>;
  tenant_id: string;
  person_id: string;
  category: string;
  is_main: boolean;
  admission_reason: string;
  valid_from: string;
  valid_until: string | null;
  control_date: string | null;
  ended_on: string | null;
  end_reason: 'revoked' | 'category-changed' | 'departure' | 'death' | 'expired' | 'naturalised' | null;
  conditions: string | null;
  card_number: string | null;
  l_stay_start: string | null;
  immigration_group: 'permanent' | 'non-permanent' | 'asylum' | null;
  version: Generated<number>;
  created_at: Generated<Date>;
}

export interface PermitEventsTable {
  id: Generated<string>;
  tenant_id: string;
  permit_id: string;
  event: 'granted' | 'extended' | 'category-changed' | 'expired' | 'revoked' | 'ended-departure' | 'ended-death' | 'ended-naturalisation' | 'corrected';
  event_date: string;
  details: ColumnType<unknown, string | undefined, string>;
  recorded_at: Generated<Date>;
  recorded_by: string | null;
}

/** Ids other registers give a person (eCH-0044), migration 0011. */
export interface PersonExternalIdsTable {
  tenant_id: string;
  category: string;
  external_id: string;
  person_id: string;
  recorded_at: Generated<Date>;
}

export interface Tables {
  schema_migrations: SchemaMigrationsTable;
  tenants: TenantsTable;
  units: UnitsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  sign_in_challenges: SignInChallengesTable;
  api_tokens: ApiTokensTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_log: AuditLogTable;
  persons: PersonsTable;
  /** View (migration 0007): search candidates, own office only inside a request. */
  persons_for_search: Pick<PersonsTable, 'id' | 'tenant_id' | 'merged_into' | 'search_key' | 'name_phonetic' | 'first_phonetic' | 'ahvn13' | 'date_of_birth'>;
  person_versions: PersonVersionsTable;
  residences: ResidencesTable;
  person_relations: PersonRelationsTable;
  deposited_papers: DepositedPapersTable;
  tenancy_reports: TenancyReportsTable;
  person_external_ids: PersonExternalIdsTable;
  deadlines: DeadlinesTable;
  permit_categories: PermitCategoriesTable;
  permits: PermitsTable;
  permit_events: PermitEventsTable;
  deadline_firings: DeadlineFiringsTable;
  notifications: NotificationsTable;
  case_types: CaseTypesTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_tasks: CaseTasksTable;
  documents: DocumentsTable;
}

-- Permits: the catalogue of permit categories per tenant (Swiss eCH-0006 categories or German
-- residence titles), each person's permits with validity, admission reason and status history.

CREATE TABLE permit_categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Short code used in the API: 'B', 'C', 'L', … or for Germany e.g. 'AE-16b', 'NE', 'DULDUNG'.
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{1,20}$'),
  -- eCH-0006 residencePermitCategoryType ('02' for B …); null for German titles.
  ech_code text,
  -- Legal basis in words, e.g. 'AIG Art. 33' or '§ 16b AufenthG'.
  legal_basis text NOT NULL,
  names jsonb NOT NULL,
  -- A main permit decides the person's status; only one is in force on any date.
  is_main boolean NOT NULL DEFAULT true,
  -- How the key figures count it: 'permanent', 'non-permanent', 'asylum', 'other' or 'none'.
  statistics_group text NOT NULL CHECK (statistics_group IN ('permanent', 'non-permanent', 'asylum', 'other', 'none')),
  -- Default validity rules (months by nationality group, control period), read by the pure rules.
  validity jsonb NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE permits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  category text NOT NULL,
  is_main boolean NOT NULL,
  admission_reason text NOT NULL CHECK (admission_reason IN (
    'eu-efta-employment', 'family-eu-efta', 'quota-croatia-service-providers', 'quota-employment-non-eu',
    'family-non-eu', 'recognised-refugee', 'hardship', 'student', 'without-employment',
    'after-asylum-procedure', 'asylum-primary', 'asylum-secondary', 'protection', 'provisional-admission', 'other')),
  valid_from date NOT NULL,
  -- Last day of validity; null for permits without end (C: the card has a control date instead).
  valid_until date,
  control_date date,
  -- Set when the permit ended early: revoked, changed to another category, departure, death.
  ended_on date,
  end_reason text CHECK (end_reason IN ('revoked', 'category-changed', 'departure', 'death', 'expired')),
  conditions text,
  card_number text,
  -- First day of the uninterrupted stay on L permits this permit belongs to (for the 12-month rule).
  l_stay_start date,
  -- Whether this permit is an immigration into the key figures, and into which table:
  -- 'permanent', 'non-permanent' or 'asylum' (decided by the admission rules when granted).
  immigration_group text CHECK (immigration_group IN ('permanent', 'non-permanent', 'asylum')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, category) REFERENCES permit_categories (tenant_id, code),
  CHECK (valid_until IS NULL OR valid_until >= valid_from),
  CHECK (ended_on IS NULL OR ended_on >= valid_from),
  CHECK ((ended_on IS NULL) = (end_reason IS NULL))
);
CREATE INDEX permits_person_idx ON permits (person_id, valid_from);
-- Key figures scan permits in force on a date and immigrations in a period, per tenant.
CREATE INDEX permits_stock_idx ON permits (tenant_id, valid_from) INCLUDE (person_id, category, ended_on, valid_until, l_stay_start) WHERE is_main;
CREATE INDEX permits_immigration_idx ON permits (tenant_id, immigration_group, valid_from) WHERE immigration_group IS NOT NULL;
CREATE INDEX permits_expiry_idx ON permits (tenant_id, valid_until) WHERE ended_on IS NULL;

CREATE TABLE permit_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  permit_id uuid NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event IN ('granted', 'extended', 'category-changed', 'expired', 'revoked', 'ended-departure', 'ended-death')),
  event_date date NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text
);
CREATE INDEX permit_events_permit_idx ON permit_events (permit_id, event_date);

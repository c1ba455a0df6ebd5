-- Register: persons with valid-time history, residences, relations, deposited papers, landlord
-- and household reports (Lucerne NG §§ 2a–17).
--
-- History is kept two ways: valid time (from which date a fact holds: valid_from/valid_to,
-- arrival/departure) answers "as of a date"; recorded_at/superseded_at keeps every earlier version
-- when a fact is corrected. Rows of history are never updated except to mark them superseded.

-- The key names are searched by: folded (no case, no diacritics), German digraphs collapsed
-- (Mueller = Müller = Muller), doubled letters single. Query and data go through the same function.
CREATE FUNCTION mf_search_key(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT regexp_replace(replace(replace(replace(mf_fold(input), 'ae', 'a'), 'oe', 'o'), 'ue', 'u'), '([a-z])\1+', '\1', 'g') $$;

CREATE TABLE persons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  ahvn13 text CHECK (ahvn13 ~ '^756[0-9]{10}$'),
  -- Current values; their history is in person_versions.
  official_name text NOT NULL CHECK (length(official_name) BETWEEN 1 AND 200),
  first_names text NOT NULL CHECK (length(first_names) BETWEEN 1 AND 200),
  call_name text,
  maiden_name text,
  alliance_name text,
  name_in_foreign_passport text,
  alias_name text,
  sex text NOT NULL CHECK (sex IN ('m', 'f', 'x')),
  -- eCH dates may be partly unknown: 1980-00-00 (year only) or 1980-05-00 (year and month).
  date_of_birth text NOT NULL CHECK (date_of_birth ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  place_of_birth text,
  country_of_birth text,
  -- ISO 3166-1 alpha-2; 'XS' stateless, 'XX' unknown.
  nationality text NOT NULL CHECK (nationality ~ '^[A-Z]{2}$'),
  place_of_origin text,
  civil_status text NOT NULL DEFAULT 'unknown'
    CHECK (civil_status IN ('single', 'married', 'widowed', 'divorced', 'registered-partnership', 'dissolved-partnership', 'unknown')),
  civil_status_date date,
  father_name text,
  mother_name text,
  legal_capacity text CHECK (legal_capacity IN ('full', 'limited', 'none')),
  fire_service_duty boolean,
  religion text,
  blocking_note boolean NOT NULL DEFAULT false,
  papers_block boolean NOT NULL DEFAULT false,
  -- Set when this record was merged into another one (a duplicate); it then leaves searches.
  merged_into uuid REFERENCES persons (id),
  search_name text GENERATED ALWAYS AS (mf_fold(official_name || ' ' || first_names)) STORED,
  search_key text GENERATED ALWAYS AS (mf_search_key(official_name || ' ' || first_names)) STORED,
  name_phonetic text GENERATED ALWAYS AS (dmetaphone(mf_fold(official_name))) STORED,
  first_phonetic text GENERATED ALWAYS AS (dmetaphone(mf_fold(split_part(first_names, ' ', 1)))) STORED,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX persons_ahvn13_key ON persons (tenant_id, ahvn13) WHERE ahvn13 IS NOT NULL AND merged_into IS NULL;
CREATE INDEX persons_tenant_name_idx ON persons (tenant_id, official_name, first_names, id) WHERE merged_into IS NULL;
-- KNN (`search_key <-> query`) finds the closest spellings in a few milliseconds even at millions of rows.
CREATE INDEX persons_search_key_gist ON persons USING gist (search_key gist_trgm_ops);
-- Same beginning of the name: a cheap first source of candidates, also for most typos.
CREATE INDEX persons_search_prefix_idx ON persons (tenant_id, search_key text_pattern_ops) WHERE merged_into IS NULL;
-- Sound-alike surname, optionally with the first first name: exact candidates for "Müller Hans".
CREATE INDEX persons_phonetic_idx ON persons (tenant_id, name_phonetic, first_phonetic);
CREATE INDEX persons_birth_idx ON persons (tenant_id, date_of_birth);
-- Deleting or merging persons checks who points at them; without this every check scans the table.
CREATE INDEX persons_merged_into_idx ON persons (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE person_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  aspect text NOT NULL CHECK (aspect IN ('name', 'civil-status', 'nationality')),
  valid_from date NOT NULL,
  valid_to date,
  data jsonb NOT NULL,
  -- 'initial' first record, 'change' a new fact from a date, 'correction' an error fixed, 'merge'.
  reason text NOT NULL CHECK (reason IN ('initial', 'change', 'correction', 'merge')),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text,
  superseded_at timestamptz,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX person_versions_person_idx ON person_versions (person_id, aspect, valid_from);

CREATE TABLE residences (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('main', 'secondary')),
  -- How the stay is registered (NG §§ 3, 5, 7, 8); decides the deadline it starts.
  registration_type text NOT NULL DEFAULT 'settled'
    CHECK (registration_type IN ('settled', 'stay', 'guest', 'private-lodging', 'weekly-commuter', 'self-employed')),
  municipality_bfs integer NOT NULL CHECK (municipality_bfs BETWEEN 1 AND 9999),
  municipality_name text NOT NULL,
  street text,
  house_number text,
  postal_code text,
  town text,
  egid integer CHECK (egid BETWEEN 1 AND 999999999),
  ewid integer CHECK (ewid BETWEEN 1 AND 999),
  household_id uuid,
  arrival_date date NOT NULL,
  arrived_from text,
  departure_date date,
  departed_to text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text,
  superseded_at timestamptz,
  CHECK (departure_date IS NULL OR departure_date >= arrival_date)
);
CREATE INDEX residences_person_idx ON residences (person_id, arrival_date) WHERE superseded_at IS NULL;
CREATE INDEX residences_current_idx ON residences (tenant_id, municipality_bfs) WHERE superseded_at IS NULL AND departure_date IS NULL;
CREATE INDEX residences_egid_idx ON residences (tenant_id, egid) WHERE superseded_at IS NULL;

CREATE TABLE person_relations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  -- 'spouse', 'registered-partner', 'child' (the related person is a child of person_id).
  kind text NOT NULL CHECK (kind IN ('spouse', 'registered-partner', 'child')),
  related_person_id uuid REFERENCES persons (id) ON DELETE SET NULL,
  -- Name of a relative who is not in the register.
  related_name text,
  -- For 'child': person_id holds (parental) custody.
  custody boolean,
  valid_from date,
  valid_to date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  superseded_at timestamptz,
  CHECK (related_person_id IS NOT NULL OR related_name IS NOT NULL)
);
CREATE INDEX person_relations_person_idx ON person_relations (person_id);
CREATE INDEX person_relations_related_idx ON person_relations (related_person_id);

-- Identity papers deposited with the municipality (NG §§ 3, 10, 12, 14). Each row is one paper;
-- its deposit and its return are the two entries of the papers journal.
CREATE TABLE deposited_papers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  municipality_bfs integer NOT NULL,
  -- Running number of the papers receipt (Schriftenempfangsschein) within the office.
  receipt_number integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('passport', 'identity-card', 'heimatschein', 'family-book', 'residence-certificate', 'other')),
  designation text NOT NULL,
  number text,
  issuing_country text NOT NULL CHECK (issuing_country ~ '^[A-Z]{2}$'),
  valid_until date,
  deposited_on date NOT NULL,
  fee_chf numeric(8, 2) NOT NULL DEFAULT 0 CHECK (fee_chf >= 0),
  returned_on date,
  returned_by text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, receipt_number),
  CHECK (returned_on IS NULL OR returned_on >= deposited_on)
);
CREATE INDEX deposited_papers_person_idx ON deposited_papers (person_id);
CREATE INDEX deposited_papers_number_idx ON deposited_papers (tenant_id, upper(number));
CREATE INDEX deposited_papers_journal_idx ON deposited_papers (tenant_id, municipality_bfs, deposited_on);

-- Landlords, hosts, employers and collective households report who lives where (NG § 17).
CREATE TABLE tenancy_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  municipality_bfs integer NOT NULL,
  reporter_kind text NOT NULL CHECK (reporter_kind IN ('landlord', 'host', 'collective-household', 'employer')),
  reporter_name text NOT NULL,
  official_name text NOT NULL,
  first_names text NOT NULL,
  date_of_birth text CHECK (date_of_birth ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  street text,
  house_number text,
  egid integer CHECK (egid BETWEEN 1 AND 999999999),
  ewid integer CHECK (ewid BETWEEN 1 AND 999),
  lease_start date,
  lease_end date,
  received_on date NOT NULL,
  search_key text GENERATED ALWAYS AS (mf_search_key(official_name || ' ' || first_names)) STORED,
  resolved_at timestamptz,
  resolution text,
  CHECK (lease_end IS NULL OR lease_start IS NULL OR lease_end >= lease_start)
);
CREATE INDEX tenancy_reports_open_idx ON tenancy_reports (tenant_id, municipality_bfs) WHERE resolved_at IS NULL;
CREATE INDEX tenancy_reports_egid_idx ON tenancy_reports (tenant_id, egid);

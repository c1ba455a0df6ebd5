-- Privacy: legal holds, retention runs and their reports, and the controlled path by which the
-- retention job removes old audit rows without breaking `audit verify`.

-- A legal hold stops retention for a person or a case (pending proceedings, an appeal, a court's
-- order). Lifting keeps the row: who held what, why and until when stays on record.
CREATE TABLE legal_holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  subject_type text NOT NULL CHECK (subject_type IN ('person', 'case')),
  subject_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  placed_by text NOT NULL,
  placed_at timestamptz NOT NULL DEFAULT now(),
  lifted_at timestamptz,
  lifted_by text,
  lift_reason text
);
-- At most one hold in force per subject.
CREATE UNIQUE INDEX legal_holds_active_key ON legal_holds (tenant_id, subject_type, subject_id) WHERE lifted_at IS NULL;

-- One row per run of the retention job and office: what was (or, in a dry run, would be) removed,
-- under which rule, and what a hold kept. Ids and counts only, never names.
CREATE TABLE retention_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- The date the rules were applied as of (`--now`); the periods count back from it.
  as_of date NOT NULL,
  dry_run boolean NOT NULL,
  catalogue text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz NOT NULL DEFAULT now(),
  triggered_by text NOT NULL,
  -- { "items": [ { "rule", "kind", "action", "cutoff", "count", "ids", "heldIds" } ] }
  report jsonb NOT NULL
);
CREATE INDEX retention_runs_tenant_idx ON retention_runs (tenant_id, started_at DESC);

-- What retention has already done to which record, so that a run never repeats work (persons
-- anonymised, case files emptied) and a failed run resumes where the last committed one stopped.
CREATE TABLE retention_applied (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('closed-case', 'departed-person')),
  subject_id uuid NOT NULL,
  run_id uuid NOT NULL REFERENCES retention_runs (id),
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind, subject_id)
);

-- Where each audit chain now begins after retention removed its oldest rows: the sequence and
-- hash of the last removed row. `audit verify` starts the chain there instead of at the genesis
-- hash. No personal data (chain key, number, hash), so no tenant policy.
CREATE TABLE audit_checkpoints (
  chain text PRIMARY KEY,
  seq bigint NOT NULL CHECK (seq >= 1),
  hash text NOT NULL,
  rows_removed bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The retention job announces itself with this transaction-local setting; nothing else may
-- touch checkpoints or remove audit rows.
CREATE FUNCTION mf_audit_retention_active() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('mf.audit_retention', true), '') = 'on' $$;

-- A checkpoint only moves forward, only to a row that exists with exactly that hash, and only
-- from the retention job; it is never deleted.
CREATE FUNCTION audit_checkpoints_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') OR NOT mf_audit_retention_active() THEN
    RAISE EXCEPTION 'audit_checkpoints are written only by the retention job: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.chain <> OLD.chain OR NEW.seq <= OLD.seq) THEN
    RAISE EXCEPTION 'an audit checkpoint only moves forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_log WHERE chain = NEW.chain AND seq = NEW.seq AND hash = NEW.hash) THEN
    RAISE EXCEPTION 'an audit checkpoint must name an existing row with its hash' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER audit_checkpoints_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_guard();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_guard();

-- The append-only rule of 0002 with one exception: the retention job may delete a row that lies at
-- or before its chain's checkpoint (written first, in the same transaction). Updates and
-- truncation stay refused for everyone.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND mf_audit_retention_active()
     AND EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.chain = OLD.chain AND c.seq >= OLD.seq) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY['legal_holds', 'retention_runs', 'retention_applied']) AS t;

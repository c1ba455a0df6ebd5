-- Cases: case types as versioned data, case instances with their timeline, tasks and documents;
-- the deadlines engine (firing stages, notifications) and the holiday calendar of a tenant.

-- Each version of a case type is kept: a running case points at the version it started with.
CREATE TABLE case_types (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  slug text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL,
  -- SHA-256 of the definition: loading the same file twice changes nothing; a changed file
  -- with the same version number is refused.
  checksum text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, slug, version)
);

-- Per tenant and year: case references like 2026-000123 without gaps from a sequence.
CREATE TABLE case_counters (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (tenant_id, year)
);

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  reference text NOT NULL,
  case_type_id uuid NOT NULL REFERENCES case_types (id),
  -- Denormalised from case_types so the work queue filters without a join.
  type_slug text NOT NULL,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  unit_id uuid NOT NULL REFERENCES units (id),
  assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
  state text NOT NULL,
  phase text NOT NULL CHECK (phase IN ('open', 'waiting', 'decided', 'closed')),
  -- { "<item id>": { "done": true, "by": "<user>", "at": "<iso>" } }
  checklist jsonb NOT NULL DEFAULT '{}',
  -- Values of the case type's fields: { "validUntil": "2028-05-31", ... }
  fields jsonb NOT NULL DEFAULT '{}',
  -- The language letters go out in (the addressee's).
  language text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'fr', 'it', 'en')),
  received_on date NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  -- Earliest open deadline of the case: the queue sorts by it.
  next_due_on date,
  -- A decision awaiting the second person's approval (four eyes).
  pending_decision jsonb,
  decision jsonb,
  decided_at timestamptz,
  notified_on date,
  appeal_until date,
  appeal_status text CHECK (appeal_status IN ('filed', 'dismissed', 'upheld', 'withdrawn')),
  appeal_filed_on date,
  legal_force_on date,
  -- Decision effects that wait for legal force.
  pending_effects jsonb NOT NULL DEFAULT '[]',
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, reference)
);
-- The work queue: open cases of a unit, oldest first or by due date.
CREATE INDEX cases_queue_age_idx ON cases (tenant_id, unit_id, received_on, id) WHERE closed_at IS NULL;
CREATE INDEX cases_queue_due_idx ON cases (tenant_id, unit_id, next_due_on, id) WHERE closed_at IS NULL;
-- Office-wide scope (a team lead of the whole office): no unit to lead the index.
CREATE INDEX cases_queue_all_age_idx ON cases (tenant_id, received_on, id) WHERE closed_at IS NULL;
CREATE INDEX cases_queue_all_due_idx ON cases (tenant_id, next_due_on, id) WHERE closed_at IS NULL;
CREATE INDEX cases_queue_type_idx ON cases (tenant_id, type_slug, received_on, id) WHERE closed_at IS NULL;
CREATE INDEX cases_queue_awaiting_idx ON cases (tenant_id, received_on, id) WHERE closed_at IS NULL AND pending_decision IS NOT NULL;
CREATE INDEX cases_assignee_idx ON cases (assignee_id, received_on, id) WHERE closed_at IS NULL;
CREATE INDEX cases_person_idx ON cases (person_id);
CREATE INDEX cases_decided_idx ON cases (tenant_id, decided_at) WHERE decided_at IS NOT NULL;

-- Everything that happened on a case, in order: the timeline of the case page.
CREATE TABLE case_events (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  -- 'created', 'transition', 'decision-proposed', 'decision-approved', 'decision-rejected',
  -- 'checklist', 'fields', 'assigned', 'note', 'contact', 'task', 'task-done', 'attachment',
  -- 'letter', 'notified', 'appeal-filed', 'appeal-decided', 'legal-force', 'effect'
  kind text NOT NULL,
  actor_name text NOT NULL,
  text text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

CREATE TABLE case_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  due_on date,
  assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
  done_at timestamptz,
  done_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_tasks_case_idx ON case_tasks (case_id);

-- The electronic file of a case: generated letters and uploaded attachments, with their hash.
CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  case_id uuid REFERENCES cases (id) ON DELETE CASCADE,
  person_id uuid REFERENCES persons (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('letter', 'attachment')),
  -- For letters: the template id (e.g. 'decision-grant').
  template text,
  title text NOT NULL,
  file_name text NOT NULL,
  media_type text NOT NULL,
  language text,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_case_idx ON documents (case_id);

-- Deadlines now belong to a case (optional), a unit and a person to notify, and carry the engine's state:
-- the due date moved to the next working day, the next stage and when it fires.
ALTER TABLE deadlines
  ADD COLUMN case_id uuid REFERENCES cases (id) ON DELETE CASCADE,
  ADD COLUMN unit_id uuid REFERENCES units (id) ON DELETE SET NULL,
  ADD COLUMN assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
  -- Whose work it is: caseworkers of the office, or municipal clerks for register duties.
  ADD COLUMN owner_role text NOT NULL DEFAULT 'caseworker' CHECK (owner_role IN ('caseworker', 'municipal-clerk')),
  ADD COLUMN working_due_date date,
  ADD COLUMN reminder_days integer NOT NULL DEFAULT 3,
  ADD COLUMN escalation_days integer NOT NULL DEFAULT 5,
  -- 0 nothing fired yet, 1 reminder sent, 2 due notice sent, 3 escalated to the team lead.
  ADD COLUMN stage integer NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 3),
  ADD COLUMN next_fire_at timestamptz;
UPDATE deadlines SET working_due_date = due_date, next_fire_at = (due_date - 3)::timestamptz WHERE status = 'open';
CREATE INDEX deadlines_fire_idx ON deadlines (next_fire_at) WHERE status = 'open';
CREATE INDEX deadlines_case_idx ON deadlines (case_id) WHERE case_id IS NOT NULL;

-- Every firing of a deadline stage. Deliberately without a unique key: the scheduler's row locks,
-- not a constraint, make each stage fire once, and the test counts these rows to prove it.
CREATE TABLE deadline_firings (
  id bigserial PRIMARY KEY,
  deadline_id uuid NOT NULL REFERENCES deadlines (id) ON DELETE CASCADE,
  stage integer NOT NULL,
  worker text NOT NULL,
  fired_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deadline_firings_deadline_idx ON deadline_firings (deadline_id);

-- What the engine tells people: a user directly, or everyone with a role in a unit.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  recipient_user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  recipient_role text,
  recipient_unit_id uuid REFERENCES units (id) ON DELETE CASCADE,
  deadline_id uuid REFERENCES deadlines (id) ON DELETE CASCADE,
  case_id uuid REFERENCES cases (id) ON DELETE CASCADE,
  kind text NOT NULL,
  message jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  CHECK (recipient_user_id IS NOT NULL OR recipient_role IS NOT NULL)
);
CREATE INDEX notifications_user_idx ON notifications (recipient_user_id, created_at DESC);
CREATE INDEX notifications_role_idx ON notifications (tenant_id, recipient_role, created_at DESC);

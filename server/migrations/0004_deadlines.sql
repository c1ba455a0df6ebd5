-- Deadlines: every time-bound duty. The register, permits and cases write them; the deadlines
-- engine (its own issue) fires reminders and escalations from this table.

CREATE TABLE deadlines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid REFERENCES persons (id) ON DELETE CASCADE,
  -- What is due, e.g. 'deposit-papers', 'report-private-lodging', 'guest-exemption-ends'.
  kind text NOT NULL,
  -- The legal basis in words, e.g. 'NG § 3: deposit papers within 14 days'.
  legal_basis text NOT NULL,
  -- The date the law gives; moving it to the next working day is the engine's job.
  due_date date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'cancelled')),
  -- What started it, e.g. 'residence:<id>'.
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX deadlines_due_idx ON deadlines (tenant_id, due_date) WHERE status = 'open';
CREATE INDEX deadlines_person_idx ON deadlines (person_id);

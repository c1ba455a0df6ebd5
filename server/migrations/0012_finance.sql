-- Finance: invoices for fees and fines, payments (bank files and the counter), the clarification
-- list, deposits (Kaution, NG § 15a) with their ledger. Amounts are integers in minor units
-- (Rappen, cents): no rounding anywhere.

-- Who invoices: the office as creditor, its account (a QR-IBAN in Switzerland, an IBAN in Germany).
CREATE TABLE finance_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  office_name text NOT NULL CHECK (length(office_name) BETWEEN 1 AND 200),
  creditor_name text NOT NULL CHECK (length(creditor_name) BETWEEN 1 AND 70),
  street text NOT NULL CHECK (length(street) BETWEEN 1 AND 70),
  building_number text CHECK (length(building_number) <= 16),
  postal_code text NOT NULL CHECK (length(postal_code) BETWEEN 1 AND 16),
  town text NOT NULL CHECK (length(town) BETWEEN 1 AND 35),
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  account text NOT NULL CHECK (account ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'),
  bic text,
  currency text NOT NULL CHECK (currency IN ('CHF', 'EUR')),
  payment_days integer NOT NULL DEFAULT 30 CHECK (payment_days BETWEEN 1 AND 120),
  version integer NOT NULL DEFAULT 1
);

-- Deposits (Kaution): what is owed, why, and where it stands; the money moves in deposit_ledger.
CREATE TABLE deposits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  case_id uuid REFERENCES cases (id) ON DELETE SET NULL,
  basis text NOT NULL CHECK (basis IN ('no-valid-passport', 'provisionally-admitted-self-supporting')),
  household text NOT NULL CHECK (household IN ('single', 'family')),
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  instalments integer NOT NULL DEFAULT 1 CHECK (instalments BETWEEN 1 AND 24),
  status text NOT NULL CHECK (status IN ('required', 'waiver-requested', 'waived', 'held', 'settled')),
  waiver_reason text,
  waiver_requested_by text,
  waiver_requested_by_id text,
  waiver_decided_by text,
  ordered_on date NOT NULL,
  settled_on date,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposits_person_idx ON deposits (tenant_id, person_id);

-- Invoices: a fee charged with a decision, a fine (for the municipality, NG § 18), a deposit instalment.
CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  case_id uuid REFERENCES cases (id) ON DELETE SET NULL,
  deposit_id uuid REFERENCES deposits (id) ON DELETE SET NULL,
  year integer NOT NULL,
  number integer NOT NULL,
  -- The payment reference: a Swiss QR reference (27 digits) or an ISO 11649 RF reference.
  reference text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('fee', 'fine', 'deposit')),
  -- Fines go to the municipality (BFS number); null: the office itself.
  beneficiary_bfs integer,
  currency text NOT NULL CHECK (currency IN ('CHF', 'EUR')),
  -- [{code, names{de,fr,it,en}, legalBasis, amountMinor}] as charged; a reduction is a negative line.
  lines jsonb NOT NULL,
  adjustment_reason text,
  amount_minor integer NOT NULL CHECK (amount_minor >= 0),
  paid_minor integer NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
  status text NOT NULL CHECK (status IN ('open', 'paid', 'waived', 'cancelled')),
  language text NOT NULL CHECK (language IN ('de', 'fr', 'it', 'en')),
  issued_on date NOT NULL,
  due_on date NOT NULL,
  paid_on date,
  reminder_level integer NOT NULL DEFAULT 0,
  -- The new date a reminder gives (the original due date stays, for the age of the claim).
  reminder_due_on date,
  created_by text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, reference),
  UNIQUE (tenant_id, year, number),
  CHECK (paid_minor <= amount_minor)
);
CREATE INDEX invoices_person_idx ON invoices (tenant_id, person_id, issued_on DESC);
CREATE INDEX invoices_case_idx ON invoices (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX invoices_open_idx ON invoices (tenant_id, due_on) WHERE status = 'open';
CREATE INDEX invoices_year_idx ON invoices (tenant_id, issued_on);

-- A bank file read once: the same file again changes nothing.
CREATE TABLE payment_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  file_sha256 text NOT NULL,
  file_name text,
  standard text NOT NULL,
  message_id text NOT NULL,
  entries integer NOT NULL,
  booked integer NOT NULL,
  clarified integer NOT NULL,
  known_before integer NOT NULL,
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, file_sha256)
);

-- Money received: a credit from a bank file or a payment at the counter. booked_minor of it went
-- to invoice_id; anything that needs a person's look is on the clarification list.
CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  import_id uuid REFERENCES payment_imports (id) ON DELETE SET NULL,
  source text NOT NULL CHECK (source IN ('bank', 'counter', 'deposit')),
  -- The bank's own key of the transaction: one transaction is never booked twice.
  entry_key text,
  booking_date date NOT NULL,
  value_date date,
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  reference text,
  debtor_name text,
  debtor_iban text,
  remittance_text text,
  position text,
  invoice_id uuid REFERENCES invoices (id) ON DELETE SET NULL,
  booked_minor integer NOT NULL DEFAULT 0 CHECK (booked_minor >= 0 AND booked_minor <= amount_minor),
  clarification text CHECK (clarification IN ('partial', 'overpayment', 'unknown-reference', 'duplicate', 'reversal', 'currency')),
  clarification_status text CHECK (clarification_status IN ('open', 'resolved')),
  resolution text CHECK (resolution IN ('booked', 'refunded', 'acknowledged')),
  refunded_minor integer NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  resolution_note text,
  resolved_by text,
  resolved_at timestamptz,
  recorded_by text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, entry_key),
  CHECK ((clarification IS NULL) = (clarification_status IS NULL))
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX payments_clarification_idx ON payments (tenant_id, created_at) WHERE clarification_status = 'open';
CREATE INDEX payments_booking_idx ON payments (tenant_id, booking_date);

-- Every movement of a deposit, in order: what the person owes, paid, was waived, was offset or returned.
CREATE TABLE deposit_ledger (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The order entries were written in (several are written in one transaction, at one now()).
  seq bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  deposit_id uuid NOT NULL REFERENCES deposits (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  entry_date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ordered', 'instalment', 'paid', 'waiver-requested', 'waived', 'waiver-refused', 'offset', 'released')),
  amount_minor integer NOT NULL DEFAULT 0,
  -- The money the office holds for this deposit after the entry.
  held_minor integer NOT NULL,
  invoice_id uuid REFERENCES invoices (id) ON DELETE SET NULL,
  note text,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposit_ledger_person_idx ON deposit_ledger (tenant_id, person_id, seq);
CREATE INDEX deposit_ledger_deposit_idx ON deposit_ledger (deposit_id, seq);

-- Revenue the office books without an invoice: the federal lump-sum refunds (Rückerstattung SEM)
-- and internal charges between offices (Interne Verrechnung), for the yearly account.
CREATE TABLE revenue_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('federal-refund', 'internal-charge', 'other')),
  booked_on date NOT NULL,
  amount_minor integer NOT NULL CHECK (amount_minor <> 0),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revenue_entries_year_idx ON revenue_entries (tenant_id, booked_on);

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY[
  'finance_settings', 'deposits', 'invoices', 'payment_imports', 'payments', 'deposit_ledger', 'revenue_entries'
]) AS t;

-- A payment closes its invoice's reminder: the deadlines an invoice started are found by source.
CREATE INDEX deadlines_source_idx ON deadlines (tenant_id, source) WHERE status = 'open';

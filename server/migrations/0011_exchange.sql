-- Exchange: eCH-0020 messages in and out (NG §13.5: data exchange on every move), partners,
-- quarantine, the transactional outbox, and what the register needs for it.

-- eCH-0020 reports deaths; the register keeps the date (residences and permits end with it).
ALTER TABLE persons ADD COLUMN date_of_death date;

-- Ids other registers give a person (eCH-0044 localPersonId / otherPersonId), so that their later
-- messages without an AHV number still find the same person here.
CREATE TABLE person_external_ids (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  category text NOT NULL CHECK (length(category) BETWEEN 1 AND 20),
  external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 36),
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, category, external_id)
);
CREATE INDEX person_external_ids_person_idx ON person_external_ids (person_id);

-- The systems an office exchanges messages with: municipal registers, other cantons, federal systems.
CREATE TABLE exchange_partners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- eCH-0058 participant id (sedex id such as '3-LU-1'): their messages' senderId, our recipientId.
  participant_id text NOT NULL CHECK (length(participant_id) BETWEEN 1 AND 50),
  -- How our messages reach them: an HTTP endpoint, a folder the transport collects from, or not at all.
  transport text NOT NULL CHECK (transport IN ('http', 'folder', 'none')),
  endpoint_url text,
  folder_path text,
  -- Bearer token we present to their endpoint, encrypted with a key derived from SESSION_SECRET.
  outbound_token_sealed text,
  -- The API token they present to our inbox (role 'partner'); revoking it locks them out.
  api_token_id uuid REFERENCES api_tokens (id) ON DELETE SET NULL,
  -- eCH-0020 event names they receive from us (e.g. 'moveIn', 'moveOut').
  events text[] NOT NULL DEFAULT '{}',
  -- Only changes in these municipalities go to them; null: every municipality of the office.
  municipalities integer[],
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, participant_id),
  CHECK (transport <> 'http' OR endpoint_url IS NOT NULL),
  CHECK (transport <> 'folder' OR folder_path IS NOT NULL)
);
CREATE INDEX exchange_partners_token_idx ON exchange_partners (api_token_id) WHERE api_token_id IS NOT NULL;

-- Every message received, with its original bytes: applied, held in quarantine, or rejected.
-- (sender, message id) is unique, so a message delivered twice is applied once.
CREATE TABLE exchange_inbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  partner_id uuid REFERENCES exchange_partners (id) ON DELETE SET NULL,
  channel text NOT NULL CHECK (channel IN ('http', 'folder', 'cli')),
  -- 'eCH-0020', 'eCH-0058' (a receipt), 'tenancy-csv' (NG §17 reports) or 'unknown' (unreadable).
  standard text NOT NULL,
  sender_id text NOT NULL,
  -- The header's message id; for input without one, 'sha256:' and the hash of the bytes.
  message_id text NOT NULL,
  event_type text,
  event_count integer NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('applied', 'quarantined', 'rejected', 'receipt')),
  -- Why it is in quarantine (or was rejected): a message code and its details (e.g. schema problems).
  reason_code text,
  reason_details jsonb,
  body bytea NOT NULL,
  body_sha256 text NOT NULL,
  file_name text,
  -- The register's persons the message touched (also for the access report).
  person_ids uuid[] NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 1,
  resolved_by text,
  resolved_at timestamptz,
  resolution_note text,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, sender_id, message_id),
  CHECK ((status = 'quarantined' OR status = 'rejected') = (reason_code IS NOT NULL))
);
CREATE INDEX exchange_inbox_list_idx ON exchange_inbox (tenant_id, received_at DESC, id DESC);
CREATE INDEX exchange_inbox_status_idx ON exchange_inbox (tenant_id, status, received_at DESC, id DESC);

-- Messages to partners, written in the transaction of the register change they report
-- (transactional outbox); a delivery is done only when the partner has acknowledged it.
CREATE TABLE exchange_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  partner_id uuid NOT NULL REFERENCES exchange_partners (id) ON DELETE CASCADE,
  message_id text NOT NULL,
  event_type text NOT NULL,
  person_id uuid REFERENCES persons (id) ON DELETE SET NULL,
  body bytea NOT NULL,
  -- pending: to deliver (again at next_attempt_at); sent: the transport took it, no receipt yet;
  -- acknowledged: the partner confirmed it; failed: refused by the partner or out of attempts.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'acknowledged', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  last_error text,
  sent_at timestamptz,
  acknowledged_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, message_id)
);
-- The deliverer works across offices, oldest due first.
CREATE INDEX exchange_outbox_due_idx ON exchange_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX exchange_outbox_partner_idx ON exchange_outbox (tenant_id, partner_id, created_at DESC, id DESC);
CREATE INDEX exchange_outbox_failed_idx ON exchange_outbox (tenant_id, last_attempt_at) WHERE status = 'failed';

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY['person_external_ids', 'exchange_partners', 'exchange_inbox', 'exchange_outbox']) AS t;

-- A naturalised person holds no permit any more (eCH-0020 naturalizeForeigner): the permit in
-- force ends with its own reason, so the key figures stop counting the person as a foreigner.
ALTER TABLE permits DROP CONSTRAINT permits_end_reason_check;
ALTER TABLE permits ADD CONSTRAINT permits_end_reason_check CHECK (end_reason IN ('revoked', 'category-changed', 'departure', 'death', 'expired', 'naturalised'));
ALTER TABLE permit_events DROP CONSTRAINT permit_events_event_check;
-- A register may also correct what it reported (eCH-0020 correctResidencePermit): recorded as such.
ALTER TABLE permit_events ADD CONSTRAINT permit_events_event_check CHECK (event IN ('granted', 'extended', 'category-changed', 'expired', 'revoked', 'ended-departure', 'ended-death', 'ended-naturalisation', 'corrected'));

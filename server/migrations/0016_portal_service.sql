-- Portal (issue 9, service): what an applicant does once signed in. A link code ties an account
-- to its register person; applications are drafts until sent, then become a case; uploads wait
-- with their draft; messages run between the applicant and the office on a case; share codes let
-- an employer or landlord see the permit; expiry notices are sent once per permit.

-- A code the office hands over (printed, at the counter or in a letter) so that an account can
-- link itself to its person. Only the SHA-256 of the code is stored.
CREATE TABLE portal_link_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  code_hash text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  valid_until timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid REFERENCES users (id) ON DELETE SET NULL,
  -- Wrong dates of birth entered with this code; at five the code is spent.
  failed_attempts integer NOT NULL DEFAULT 0,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_link_codes_person_idx ON portal_link_codes (person_id);

CREATE TABLE portal_applications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- The account that fills it in (the person's own, or a representative's under a mandate).
  account_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  form text NOT NULL CHECK (form ~ '^[a-z][a-z0-9-]{0,62}$'),
  -- The version of the form the draft was started with.
  form_version integer NOT NULL,
  answers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
  case_id uuid REFERENCES cases (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  CHECK ((state = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE INDEX portal_applications_account_idx ON portal_applications (account_id, updated_at DESC);
CREATE INDEX portal_applications_person_idx ON portal_applications (person_id);
CREATE INDEX portal_applications_case_idx ON portal_applications (case_id) WHERE case_id IS NOT NULL;

-- Files uploaded to a draft; on sending they become documents of the case and are deleted here.
CREATE TABLE portal_uploads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  application_id uuid NOT NULL REFERENCES portal_applications (id) ON DELETE CASCADE,
  -- The form's document slot, e.g. 'passport'.
  slot text NOT NULL CHECK (slot ~ '^[a-z][a-z0-9-]{0,62}$'),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_uploads_application_idx ON portal_uploads (application_id, slot);

-- Secure messages on a case: 'in' from the applicant's side, 'out' from the office.
CREATE TABLE portal_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  author_id uuid REFERENCES users (id) ON DELETE SET NULL,
  author_name text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- When the other side first read it.
  read_at timestamptz
);
CREATE INDEX portal_messages_case_idx ON portal_messages (case_id, created_at);
CREATE INDEX portal_messages_person_idx ON portal_messages (person_id);

-- Proof of stay for third parties: the code shows only permit category and validity. SHA-256 only.
CREATE TABLE share_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  code_hash text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  -- What the person noted for themselves, e.g. 'landlord Bahnhofstrasse'.
  label text CHECK (length(label) <= 100),
  valid_until timestamptz NOT NULL,
  revoked_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  views integer NOT NULL DEFAULT 0,
  last_viewed_at timestamptz
);
CREATE INDEX share_codes_person_idx ON share_codes (person_id, created_at DESC);

-- "Your permit expires in two months": sent once per permit and expiry date.
CREATE TABLE portal_expiry_notices (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  permit_id uuid NOT NULL REFERENCES permits (id) ON DELETE CASCADE,
  valid_until date NOT NULL,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  recipients integer NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (permit_id, valid_until)
);

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY[
  'portal_link_codes', 'portal_applications', 'portal_uploads', 'portal_messages', 'share_codes', 'portal_expiry_notices'
]) AS t;

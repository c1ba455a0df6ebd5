-- Portal (issue 9, accounts): applicants, employers and representatives sign up with their e-mail
-- address. The account itself is a user of the access module (role 'applicant', user name = the
-- e-mail address in lower case), so sign-in, sessions, TOTP and lockout work unchanged; this
-- migration adds what is portal-specific: the kind of account, the verified address, the
-- language, the register person the office linked it to, one-time tokens, and mandates.

-- E-mail addresses often carry a '+' in their local part (anna+amt@example.ch): user names may
-- hold it too. Everything else of the user-name rule stays.
ALTER TABLE users DROP CONSTRAINT users_username_check;
ALTER TABLE users ADD CONSTRAINT users_username_check CHECK (username ~ '^[a-z0-9][a-z0-9._@+-]{1,99}$');

CREATE TABLE portal_accounts (
  -- One portal account per user of the access module.
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('applicant', 'employer', 'representative')),
  -- Lower case, as the user name; unique in the installation like user names.
  email text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email) AND email ~ '^[^@[:space:]<>]+@[^@[:space:]<>]+$'),
  email_verified_at timestamptz,
  language text NOT NULL CHECK (language IN ('de', 'fr', 'it', 'en')),
  -- The register person this account speaks for, set by the office after checking the identity
  -- at the counter; null until then.
  person_id uuid REFERENCES persons (id) ON DELETE SET NULL,
  person_linked_at timestamptz,
  person_linked_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_accounts_tenant_idx ON portal_accounts (tenant_id, created_at DESC);
CREATE INDEX portal_accounts_person_idx ON portal_accounts (person_id) WHERE person_id IS NOT NULL;

-- One-time tokens sent by mail: only their SHA-256 is stored (they are 256 random bits).
CREATE TABLE portal_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify-email', 'password-reset')),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_tokens_user_idx ON portal_tokens (user_id, purpose);

-- A person (grantor) lets another account act for them within a scope and a period.
CREATE TABLE mandates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  grantor_person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  representative_user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- ["applications", "status", "messages", …]
  scope jsonb NOT NULL CHECK (jsonb_typeof(scope) = 'array' AND jsonb_array_length(scope) >= 1),
  valid_from date NOT NULL,
  valid_until date CHECK (valid_until IS NULL OR valid_until >= valid_from),
  granted_by uuid REFERENCES users (id) ON DELETE SET NULL,
  -- 'person': the grantor's own account; 'staff': the office (e.g. a paper mandate at the counter).
  granted_by_kind text NOT NULL CHECK (granted_by_kind IN ('person', 'staff')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users (id) ON DELETE SET NULL,
  revoked_by_kind text CHECK (revoked_by_kind IN ('person', 'staff')),
  CHECK ((revoked_at IS NULL) = (revoked_by_kind IS NULL))
);
CREATE INDEX mandates_grantor_idx ON mandates (tenant_id, grantor_person_id);
CREATE INDEX mandates_representative_idx ON mandates (representative_user_id);

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY['portal_accounts', 'portal_tokens', 'mandates']) AS t;

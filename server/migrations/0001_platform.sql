-- Platform: extensions, text folding for search, tenants (offices), units, users, sessions, API tokens.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); indexes and generated columns need an
-- IMMUTABLE function, so this wrapper names the dictionary explicitly and promises immutability.
CREATE FUNCTION mf_fold(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  country text NOT NULL CHECK (country IN ('CH', 'DE')),
  -- Canton (CH) or Land (DE) abbreviation: holiday calendars, letterhead, fee tariff.
  region text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE units (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  -- 'office': a unit of the office (Sachgebiet); 'municipality': a municipal registration office.
  kind text NOT NULL CHECK (kind IN ('office', 'municipality')),
  bfs_number integer CHECK (bfs_number BETWEEN 1 AND 9999),
  CHECK ((kind = 'municipality') = (bfs_number IS NOT NULL)),
  UNIQUE (tenant_id, slug)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,99}$'),
  display_name text NOT NULL,
  email text,
  locale text NOT NULL DEFAULT 'de' CHECK (locale IN ('de', 'fr', 'it', 'en')),
  password_hash text,
  disabled boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Login names are unique in the whole installation, so signing in needs no office field.
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE INDEX users_tenant_idx ON users (tenant_id);

CREATE TABLE user_roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('caseworker', 'team-lead', 'municipal-clerk', 'admin', 'auditor', 'applicant', 'partner')),
  unit_id uuid REFERENCES units (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid));

CREATE TABLE sessions (
  -- HMAC of the cookie value: a copy of this table does not give anyone a usable session.
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  idle_expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_tenant_idx ON sessions (tenant_id);
CREATE INDEX sessions_expiry_idx ON sessions (absolute_expires_at);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- SHA-256 of the token: tokens are long random strings, so no salt or slow hash is needed.
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('caseworker', 'team-lead', 'municipal-clerk', 'admin', 'auditor', 'applicant', 'partner')),
  unit_id uuid REFERENCES units (id) ON DELETE CASCADE,
  label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id);

-- Strong sign-in for staff: TOTP second factor, single sign-on link, re-authentication time of
-- sessions, and the short-lived challenge between password and second factor.

ALTER TABLE users
  -- AES-256-GCM ciphertext (key derived from the session secret), never the plain secret.
  ADD COLUMN totp_secret text,
  -- A secret handed out by enrolment but not yet confirmed with a code; it protects nothing yet.
  ADD COLUMN totp_pending_secret text,
  ADD COLUMN totp_enabled_at timestamptz,
  -- The last time step whose code was accepted: a code is good once, even within its window.
  ADD COLUMN totp_last_step bigint,
  -- The `sub` of the office's OpenID provider, linked on the first single sign-on.
  ADD COLUMN oidc_subject text,
  ADD CONSTRAINT users_totp_consistent CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL));
CREATE UNIQUE INDEX users_oidc_subject_key ON users (tenant_id, oidc_subject) WHERE oidc_subject IS NOT NULL;

ALTER TABLE sessions
  -- When the person last proved who they are (sign-in or re-authentication): exports and rights changes need it recent.
  ADD COLUMN authenticated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN sign_in_method text NOT NULL DEFAULT 'password' CHECK (sign_in_method IN ('password', 'password+totp', 'oidc'));
-- Sessions from before this migration count from their sign-in.
UPDATE sessions SET authenticated_at = created_at;

-- Password accepted, second factor outstanding. Read by sign-in, which runs outside any office
-- scope; under the tenant policy all the same, like sessions.
CREATE TABLE sign_in_challenges (
  -- HMAC of the pending-login token handed to the client.
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (user_id);
CREATE INDEX sign_in_challenges_expiry_idx ON sign_in_challenges (expires_at);

SELECT mf_protect_tenant_table('sign_in_challenges');

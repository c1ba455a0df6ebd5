-- Mail: a transactional outbox for e-mail (the applicant portal's sign-up verification, password
-- reset, notifications, appointment invitations). A command writes its mail into the outbox in
-- its own transaction, so a mail leaves only when the change behind it committed; a deliverer
-- sends what is due (SMTP, or .eml files in the data folder) with retries and backoff.
CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  recipient text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254 AND recipient ~ '^[^@[:space:]<>]+@[^@[:space:]<>]+$'),
  recipient_name text CHECK (length(recipient_name) <= 200),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
  text_body text NOT NULL,
  html_body text,
  -- [{ "filename": "termin.ics", "contentType": "text/calendar; method=REQUEST", "contentBase64": "…" }]
  attachments jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attachments) = 'array'),
  -- What the mail is for: 'verify-email', 'password-reset', 'notification', 'appointment', …
  purpose text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9-]{0,62}$'),
  -- queued: to send (again at next_attempt_at); sent: the SMTP server took it (or the .eml file was
  -- written); failed: refused for good by the server, or out of attempts.
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  last_error text,
  sent_at timestamptz,
  -- The Message-ID the mail went out with, and the server's final reply (its queue id).
  message_id text,
  smtp_response text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The deliverer works across offices, oldest due first.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX mail_outbox_tenant_idx ON mail_outbox (tenant_id, created_at DESC);

SELECT mf_protect_tenant_table('mail_outbox'::regclass);

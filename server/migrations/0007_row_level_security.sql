-- Row-level security by tenant: defence in depth under the application's own filters.
--
-- Requests of a signed-in actor run as the role migraflow_tenant with the setting mf.tenant set to
-- the actor's office (server/src/platform/db/tenant-scope.ts). For that role the policies below
-- show and accept only rows of that office, so a query that forgets its tenant filter still
-- cannot read or write another office's persons. Work that is not a request of one office
-- (migrations, the scheduler, the CLI, sign-in itself) runs as the connecting role, which owns the
-- tables and is therefore not subject to these policies.

-- Roles belong to the whole PostgreSQL cluster, so several databases (and parallel test runs)
-- may try to create it at the same time.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'migraflow_tenant') THEN
    CREATE ROLE migraflow_tenant NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;

-- The connecting role must be allowed to switch to it (a superuser always is).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT migraflow_tenant TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO migraflow_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO migraflow_tenant;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO migraflow_tenant;
-- Tables of later migrations get the same rights without repeating these lines.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO migraflow_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO migraflow_tenant;

-- The office of the current request; NULL outside a request (then the policies show nothing).
CREATE FUNCTION mf_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('mf.tenant', true), '')::uuid $$;

-- Puts a table with a tenant_id column under the tenant policy. Later migrations call it for
-- every new table that holds personal data; a test checks that none is forgotten.
CREATE FUNCTION mf_protect_tenant_table(target regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO migraflow_tenant USING (tenant_id = mf_current_tenant()) WITH CHECK (tenant_id = mf_current_tenant())',
    target);
END $$;

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY[
  'users', 'sessions', 'api_tokens',
  'audit_log',
  'persons', 'person_versions', 'residences', 'person_relations', 'deposited_papers', 'tenancy_reports',
  'deadlines', 'permits', 'permit_events',
  'cases', 'case_events', 'case_tasks', 'documents', 'notifications'
]) AS t;

-- Search candidates. pg_trgm's operators, LIKE and upper() are not LEAKPROOF, and PostgreSQL does
-- not use them as index conditions on a table under row-level security: the person search fell
-- from 4 ms to a 600 ms sequential scan. These views read the tables with their owner's rights
-- (no policy, so the indexes work) and keep offices apart themselves: inside a request they show
-- only the request's office. The search still filters by tenant as before.
CREATE VIEW persons_for_search AS
  SELECT id, tenant_id, merged_into, search_key, name_phonetic, first_phonetic, ahvn13, date_of_birth
  FROM persons
  WHERE tenant_id = mf_current_tenant() OR mf_current_tenant() IS NULL;

CREATE VIEW papers_for_search AS
  SELECT person_id, tenant_id, number
  FROM deposited_papers
  WHERE tenant_id = mf_current_tenant() OR mf_current_tenant() IS NULL;

GRANT SELECT ON persons_for_search, papers_for_search TO migraflow_tenant;

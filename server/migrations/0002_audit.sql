-- Append-only, hash-chained audit log.
--
-- Rows are chained per chain key (a tenant and one of a few shards, or 'system'): each row's hash
-- covers the previous row's hash and every field of the row, so a changed, removed or reordered row
-- breaks the chain. Several shards per tenant let audited requests run side by side instead of
-- queueing on one head row. The head of each chain is kept in audit_chain_heads.

CREATE TABLE audit_chain_heads (
  chain text PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chain text NOT NULL,
  seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  tenant_id uuid,
  actor_id uuid,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'token', 'system', 'anonymous')),
  actor_name text,
  action text NOT NULL,
  entity_type text,
  entity_id text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, occurred_at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at DESC);

-- The text that is hashed. `audit verify` rebuilds exactly this string in Node.js.
CREATE FUNCTION audit_hash_input(
  p_prev text, p_chain text, p_seq bigint, p_at timestamptz, p_tenant uuid, p_actor_id uuid,
  p_actor_kind text, p_actor_name text, p_action text, p_entity_type text, p_entity_id text,
  p_request_id text, p_details jsonb
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws(chr(31),
    p_prev, p_chain, p_seq::text, ((extract(epoch FROM p_at) * 1000000)::bigint)::text,
    coalesce(p_tenant::text, ''), coalesce(p_actor_id::text, ''), p_actor_kind,
    coalesce(p_actor_name, ''), p_action, coalesce(p_entity_type, ''), coalesce(p_entity_id, ''),
    coalesce(p_request_id, ''), p_details::text)
$$;

-- Appends one row in the caller's transaction: the audit row commits or rolls back with the change
-- it records. The head row's lock serialises appends to one chain until commit.
CREATE FUNCTION audit_append(
  p_chain text, p_tenant uuid, p_actor_id uuid, p_actor_kind text, p_actor_name text,
  p_action text, p_entity_type text, p_entity_id text, p_request_id text, p_details jsonb
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_prev text;
  v_hash text;
  v_at timestamptz := clock_timestamp();
  v_id bigint;
BEGIN
  UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain = p_chain RETURNING seq, hash INTO v_seq, v_prev;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (p_chain, 0, repeat('0', 64)) ON CONFLICT (chain) DO NOTHING;
    UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain = p_chain RETURNING seq, hash INTO v_seq, v_prev;
  END IF;
  v_hash := encode(sha256(convert_to(audit_hash_input(v_prev, p_chain, v_seq, v_at, p_tenant, p_actor_id,
    p_actor_kind, p_actor_name, p_action, p_entity_type, p_entity_id, p_request_id, coalesce(p_details, '{}'::jsonb)), 'UTF8')), 'hex');
  INSERT INTO audit_log (chain, seq, occurred_at, tenant_id, actor_id, actor_kind, actor_name, action,
    entity_type, entity_id, request_id, details, prev_hash, hash)
  VALUES (p_chain, v_seq, v_at, p_tenant, p_actor_id, p_actor_kind, p_actor_name, p_action,
    p_entity_type, p_entity_id, p_request_id, coalesce(p_details, '{}'::jsonb), v_prev, v_hash)
  RETURNING id INTO v_id;
  UPDATE audit_chain_heads SET hash = v_hash WHERE chain = p_chain;
  RETURN v_id;
END $$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

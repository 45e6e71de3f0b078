-- Idempotency records (PostgreSQL). One row per key in its namespace: running (owner and lease)
-- or completed (result). Rows past expires_at are treated as absent and removed by
-- purgeExpired(). ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  namespace       text        NOT NULL,
  idempotency_key text        NOT NULL,
  fingerprint     char(64)    NOT NULL,
  state           text        NOT NULL CHECK (state IN ('running', 'completed')),
  owner           text        NOT NULL,
  lease_until     timestamptz NOT NULL,
  result          bytea,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (namespace, idempotency_key)
);
CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires_at);

-- Idempotency records (H2, the embedded default). One row per key in its namespace: running
-- (owner and lease) or completed (result). Rows past expires_at are treated as absent and removed
-- by purgeExpired(). ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  namespace       VARCHAR(128)             NOT NULL,
  idempotency_key VARCHAR(255)             NOT NULL,
  fingerprint     CHAR(64)                 NOT NULL,
  state           VARCHAR(16)              NOT NULL CHECK (state IN ('running', 'completed')),
  owner           VARCHAR(64)              NOT NULL,
  lease_until     TIMESTAMP WITH TIME ZONE NOT NULL,
  result          VARBINARY,
  expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, idempotency_key)
);
CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires_at);

-- Leases (PostgreSQL). One row per resource, kept after release and expiry so that the next
-- grant's token is larger. ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  resource   text        PRIMARY KEY,
  owner      text        NOT NULL,
  token      bigint      NOT NULL,
  expires_at timestamptz NOT NULL
);

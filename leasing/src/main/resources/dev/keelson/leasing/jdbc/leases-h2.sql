-- Leases (H2, the embedded default). One row per resource, kept after release and expiry so that
-- the next grant's token is larger. ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  resource   VARCHAR                  PRIMARY KEY,
  owner      VARCHAR                  NOT NULL,
  token      BIGINT                   NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Fences (H2, the embedded default): the highest fencing token each protected resource has
-- accepted. ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  resource VARCHAR PRIMARY KEY,
  token    BIGINT  NOT NULL
);

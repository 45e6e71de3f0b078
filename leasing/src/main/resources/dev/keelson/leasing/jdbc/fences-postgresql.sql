-- Fences (PostgreSQL): the highest fencing token each protected resource has accepted.
-- ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  resource text   PRIMARY KEY,
  token    bigint NOT NULL
);

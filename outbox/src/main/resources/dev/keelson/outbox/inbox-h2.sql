-- Inbox (H2, the embedded default): as inbox-postgresql.sql.
CREATE TABLE IF NOT EXISTS ${table} (
  consumer     VARCHAR(255)             NOT NULL,
  message_id   UUID                     NOT NULL,
  processed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX IF NOT EXISTS ${table}_processed ON ${table} (processed_at);

-- Inbox (H2, the embedded default): as inbox-postgresql.sql.
CREATE TABLE IF NOT EXISTS ${table} (
  consumer     VARCHAR(255)             NOT NULL,
  message_id   VARCHAR(255)             NOT NULL,
  processed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (consumer, message_id)
);
-- A table made when message_id was a UUID: to text (a no-op once it is).
ALTER TABLE ${table} ALTER COLUMN message_id SET DATA TYPE VARCHAR(255);
CREATE INDEX IF NOT EXISTS ${table}_processed ON ${table} (processed_at);

-- Inbox (PostgreSQL): the messages each consumer has processed; the primary key makes a
-- redelivery's second insert do nothing. ${table} is replaced by the configured table name.
CREATE TABLE IF NOT EXISTS ${table} (
  consumer     text        NOT NULL,
  message_id   uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX IF NOT EXISTS ${table}_processed ON ${table} (processed_at);

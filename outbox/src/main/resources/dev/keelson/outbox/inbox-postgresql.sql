-- Inbox (PostgreSQL): the messages each consumer has processed; the primary key makes a
-- redelivery's second insert do nothing. ${table} is replaced by the configured table name.
-- message_id is text: a Keelson message id (a UUID), or any id a broker gives (a Kafka record's
-- topic-partition-offset).
CREATE TABLE IF NOT EXISTS ${table} (
  consumer     text        NOT NULL,
  message_id   text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
-- A table made when message_id was a uuid: to text, once (ALTER takes the table's exclusive lock
-- and rewrites it, so only when the column is still a uuid). A uuid's text is its usual form, so
-- the ids it holds are found again.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = '${table}'
               AND column_name = 'message_id' AND data_type = 'uuid') THEN
    ALTER TABLE ${table} ALTER COLUMN message_id TYPE text USING message_id::text;
  END IF;
END
$$;
CREATE INDEX IF NOT EXISTS ${table}_processed ON ${table} (processed_at);

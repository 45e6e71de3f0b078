-- Outbox (PostgreSQL). One row per message; seq orders the messages of a key. A message is
-- claimable when it is pending, due, not claimed (or its claim ran out) and no earlier message of
-- its key is still unpublished. ${table} is replaced by the configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  seq           bigserial   PRIMARY KEY,
  id            uuid        NOT NULL UNIQUE,
  topic         text        NOT NULL,
  msg_key       text        NOT NULL,
  payload       bytea       NOT NULL,
  headers       text        NOT NULL,
  created_at    timestamptz NOT NULL,
  state         text        NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'published', 'dead')),
  attempts      integer     NOT NULL DEFAULT 0,
  last_delay_ms bigint      NOT NULL DEFAULT 0,
  due_at        timestamptz NOT NULL DEFAULT now(),
  claimed_by    text,
  claimed_until timestamptz,
  last_error    text,
  published_at  timestamptz
);
-- last_delay_ms: the delay before the current attempt, which backoffs such as decorrelated jitter
-- grow from; added here to tables made before it existed.
-- Only when it is missing: even ADD COLUMN IF NOT EXISTS would take the table's exclusive lock.
-- IF NOT EXISTS still, for an instance that found it missing while another was adding it (it
-- waits for that one's lock, and then finds it there).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = '${table}'
                   AND column_name = 'last_delay_ms') THEN
    ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS last_delay_ms bigint NOT NULL DEFAULT 0;
  END IF;
END
$$;
CREATE INDEX IF NOT EXISTS ${table}_pending ON ${table} (seq) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS ${table}_unpublished ON ${table} (msg_key, seq) WHERE state <> 'published';
CREATE INDEX IF NOT EXISTS ${table}_published ON ${table} (published_at) WHERE state = 'published';
-- Wakes listening relays: one notification per inserting statement, delivered at commit (and
-- dropped on rollback); the channel is the table's name. Optional (Outbox.Builder.notifyOnCommit):
-- PostgreSQL queues every notifying commit of the server behind one lock, so without it appends
-- commit side by side and relays poll. Made only when missing (a running system's trigger is not
-- dropped and made again: that would take the table's exclusive lock at every start), dropped
-- only when present.
DO $$
DECLARE
  present boolean;
BEGIN
  -- The function only when missing: CREATE OR REPLACE by two instances at once fails one of them
  -- ("tuple concurrently updated").
  IF ${notify} AND NOT EXISTS (SELECT 1 FROM pg_proc
                               WHERE proname = '${table}_notify'
                                 AND pronamespace = current_schema()::regnamespace) THEN
    CREATE FUNCTION ${table}_notify() RETURNS trigger LANGUAGE plpgsql AS $notify$
    BEGIN
      PERFORM pg_notify(TG_TABLE_NAME, '');
      RETURN NULL;
    END
    $notify$;
  END IF;
  present := EXISTS (SELECT 1 FROM pg_trigger
                     WHERE tgrelid = '${table}'::regclass AND tgname = '${table}_notify');
  IF ${notify} AND NOT present THEN
    CREATE TRIGGER ${table}_notify AFTER INSERT ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify();
  ELSIF NOT ${notify} AND present THEN
    DROP TRIGGER IF EXISTS ${table}_notify ON ${table};
  END IF;
EXCEPTION WHEN duplicate_object OR duplicate_function OR unique_violation THEN
  NULL; -- another instance made them meanwhile
END
$$;

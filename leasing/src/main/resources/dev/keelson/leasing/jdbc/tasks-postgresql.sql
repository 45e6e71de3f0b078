-- Task queue (PostgreSQL). A task is claimable when it is pending and due; a claim moves due_at
-- to the end of the claim (so an abandoned claim becomes claimable again) and bumps the fencing
-- token (so the abandoned claimant's completion is refused). ${table} is replaced by the
-- configured, validated table name.
CREATE TABLE IF NOT EXISTS ${table} (
  id         bigserial   PRIMARY KEY,
  queue      text        NOT NULL,
  payload    bytea       NOT NULL,
  state      text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
  due_at     timestamptz NOT NULL DEFAULT now(),
  attempts   integer     NOT NULL DEFAULT 0,
  token      bigint      NOT NULL DEFAULT 0,
  owner      text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_delay_ms bigint NOT NULL DEFAULT 0
);
-- Added after the first release: the backoff before the latest attempt, for decorrelated jitter.
-- Only when it is missing: even ADD COLUMN IF NOT EXISTS would take the table's exclusive lock.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = '${table}'
                   AND column_name = 'last_delay_ms') THEN
    -- IF NOT EXISTS as well: another instance may add it between the check and here.
    ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS last_delay_ms bigint NOT NULL DEFAULT 0;
  END IF;
END
$$;
CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (queue, due_at) WHERE state = 'pending';

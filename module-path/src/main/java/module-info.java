/**
 * An application on the module path: it reads only what the Keelson modules export, and the
 * backends it drives must find their scripts and DDL across module boundaries.
 */
module dev.keelson.modulepath {
  requires dev.keelson.retry;
  requires dev.keelson.ratelimit;
  requires dev.keelson.idempotency;
  requires dev.keelson.leasing;
  requires dev.keelson.outbox;
  requires dev.keelson.micrometer;
  requires dev.keelson.outbox.kafka;
  requires lettuce.core;
  requires java.sql;
}

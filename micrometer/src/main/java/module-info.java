/**
 * Keelson Micrometer: one binder per Keelson module, built as that module's listener, and health
 * summaries per component. Each Keelson module is optional: bind the ones you use.
 */
module dev.keelson.micrometer {
  requires transitive micrometer.core;
  requires static transitive org.jspecify;
  requires dev.keelson.core;
  requires org.slf4j;
  // A binder needs its module only when it is used; the application brings the modules it has.
  requires static transitive dev.keelson.retry;
  requires static transitive dev.keelson.ratelimit;
  requires static transitive dev.keelson.idempotency;
  requires static transitive dev.keelson.leasing;
  requires static transitive dev.keelson.outbox;

  exports dev.keelson.micrometer;
}

/** Keelson retry: budgeted, jittered retries with deadlines. */
module dev.keelson.retry {
  requires transitive dev.keelson.core;
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports dev.keelson.retry;
}

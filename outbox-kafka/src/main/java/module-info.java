/** Keelson outbox for Kafka: a publisher that sends each committed message with its key. */
module dev.keelson.outbox.kafka {
  requires transitive dev.keelson.outbox;
  requires transitive kafka.clients;
  requires static transitive org.jspecify;
  requires dev.keelson.core;
  requires org.slf4j;

  exports dev.keelson.outbox.kafka;
}

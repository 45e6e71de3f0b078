/**
 * The outbox's Kafka publisher: {@link dev.keelson.outbox.kafka.KafkaPublisher} sends each message
 * a relay claims to its topic, keyed by the message's key (so a key's order holds within its
 * partition), with its headers and its id, on an idempotent producer.
 */
@NullMarked
package dev.keelson.outbox.kafka;

import org.jspecify.annotations.NullMarked;

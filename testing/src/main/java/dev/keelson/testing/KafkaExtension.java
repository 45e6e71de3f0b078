package dev.keelson.testing;

import dev.keelson.testing.internal.KafkaEndpoint;
import dev.keelson.testing.internal.SharedServers;
import dev.keelson.testing.internal.Started;

/** Resolves {@link KafkaServer} parameters for classes annotated {@link WithKafka}. */
public final class KafkaExtension extends ServerExtension<WithKafka, KafkaServer> {

  public KafkaExtension() {
    super(WithKafka.class, KafkaServer.class);
  }

  @Override
  KafkaServer open(WithKafka annotation, TestScope scope) {
    if (!annotation.dedicated()) {
      return new KafkaServer(SharedServers.kafka(), scope, false);
    }
    Started<KafkaEndpoint> started = scope.register(SharedServers.dedicatedKafka());
    return new KafkaServer(started.endpoint(), scope, true);
  }
}

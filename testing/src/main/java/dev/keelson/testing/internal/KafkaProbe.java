package dev.keelson.testing.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks a Kafka broker for its cluster. An open port says little: a broker binds its listener long
 * before it serves requests, so only an answer with the broker in it means it is ready.
 */
final class KafkaProbe {

  private KafkaProbe() {}

  /**
   * The number of brokers the cluster reports, asked through a short-lived admin client.
   *
   * @throws ExecutionException if the client failed, for example on a timeout
   * @throws TimeoutException if no answer came within {@code timeout}
   */
  static int brokers(String bootstrapServers, Duration timeout)
      throws ExecutionException, InterruptedException, TimeoutException {
    int millis = (int) Math.max(1, timeout.toMillis());
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, millis,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, millis);
    Admin admin = Admin.create(config);
    try {
      return admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .nodes()
          .get(millis + 1000L, TimeUnit.MILLISECONDS)
          .size();
    } finally {
      // Nothing is pending once the answer or the failure is in; do not wait for the I/O thread.
      admin.close(Duration.ZERO);
    }
  }
}

package dev.keelson.idempotency.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.IdempotencyStoreContract;
import dev.keelson.testing.ServerTime;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The store contract on a database, plus what only the JDBC store has: the purge. */
abstract class JdbcIdempotencyStoreContract extends IdempotencyStoreContract {

  private final DataSource dataSource;
  private final JdbcIdempotencyStore store;

  JdbcIdempotencyStoreContract(DataSource dataSource) {
    this.dataSource = dataSource;
    this.store = JdbcIdempotencyStore.on(dataSource);
    store.createSchema();
  }

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Override
  protected void letPass(Duration duration) {
    ServerTime.letPass(duration);
  }

  @Test
  void purgeDeletesOnlyExpiredRecords() {
    Fingerprint fingerprint = Fingerprint.builder().add("body", "x").build();
    for (int i = 0; i < 3; i++) {
      store.begin(
          IdempotencyKey.of("purge", "old-" + i),
          fingerprint,
          "o",
          Duration.ofMillis(10),
          Duration.ofSeconds(1));
    }
    store.begin(
        IdempotencyKey.of("purge", "young"),
        fingerprint,
        "o",
        Duration.ofMillis(10),
        Duration.ofHours(1));
    ServerTime.letPass(Duration.ofSeconds(1));

    assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(3);
    assertThat(
            store.begin(
                IdempotencyKey.of("purge", "young"),
                fingerprint,
                "p",
                Duration.ofMillis(10),
                Duration.ofHours(1)))
        .as("still there, its lease run out")
        .isEqualTo(new IdempotencyStore.Started(true));
  }

  @Test
  void aTableNameThatIsNotAnIdentifierIsRejected() {
    assertThatThrownBy(() -> JdbcIdempotencyStore.builder(dataSource).table("x; DROP TABLE y"))
        .hasMessageStartingWith("table: ");
  }
}

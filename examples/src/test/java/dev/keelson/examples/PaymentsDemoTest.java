package dev.keelson.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's demo, end to end, on real Redis and PostgreSQL. */
class PaymentsDemoTest {

  @Test
  void theScriptedRunChargesOnceDeliversEveryEventAndRefusesTheStaleWorker() {
    Report report = PaymentsDemo.run();

    assertThat(report.ok()).as(report.render()).isTrue();
    // 1 + 30 honest payments, 1 before the reused key, 25 of the burst of 30 (tenant-endpoint: 25)
    assertThat(report.created()).as(report.render()).isEqualTo(57);
    assertThat(report.replays()).as("every honest payment was sent twice").isEqualTo(31);
    assertThat(report.conflicts()).isEqualTo(1);
    assertThat(report.rateLimited()).isEqualTo(5);
    assertThat(report.settlements()).isEqualTo(57);
    assertThat(report.eventsDelivered()).isEqualTo(114);
    assertThat(report.leaseTakeovers()).as("the stalled worker's task").isGreaterThanOrEqualTo(1);
    assertThat(report.staleWritesRefused()).as("the stalled worker's late write").isEqualTo(1);
    assertThat(report.metersAgree()).as(report.render()).isTrue();
  }
}

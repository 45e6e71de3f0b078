package dev.keelson.benchmarks.report;

import static dev.keelson.benchmarks.report.ReportFixtures.LIMITER;
import static dev.keelson.benchmarks.report.ReportFixtures.REMOTE;
import static dev.keelson.benchmarks.report.ReportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupTest {

  @Test
  void readsRolesFromAnnotations() {
    assertThat(row(LIMITER, "directCall", 1).role()).isEqualTo(Role.BASELINE);
    assertThat(row(LIMITER, "keelsonAcquire", 1).role()).isEqualTo(Role.KEELSON);
    Row peer = row(LIMITER, "guavaAcquire", 1);
    assertThat(peer.role()).isEqualTo(Role.PEER);
    assertThat(peer.label()).isEqualTo("Guava guavaAcquire");
  }

  @Test
  void ordersBaselineThenKeelsonThenPeersAndFindsTheBaseline() {
    List<Group> groups =
        Group.of(
            List.of(
                row(LIMITER, "guavaAcquire", 40),
                row(LIMITER, "keelsonAcquire", 20),
                row(LIMITER, "bucket4jAcquire", 30),
                row(LIMITER, "directCall", 2)));

    assertThat(groups).hasSize(1);
    Group limiter = groups.get(0);
    assertThat(limiter.rows())
        .extracting(r -> r.measurement().methodName())
        .containsExactly("directCall", "keelsonAcquire", "bucket4jAcquire", "guavaAcquire");
    assertThat(limiter.baseline()).map(r -> r.measurement().methodName()).hasValue("directCall");
    assertThat(limiter.peers()).hasSize(2);
    assertThat(Group.ratio(limiter.rows().get(1), limiter.baseline().get())).isEqualTo(10);
  }

  @Test
  void aGroupMayCompareItselfToAnotherGroupsBaseline() {
    List<Group> groups =
        Group.of(List.of(row(LIMITER, "directCall", 2), row(REMOTE, "remoteAcquire", 200)));

    Group remote = groups.stream().filter(g -> g.name().equals("remote")).findFirst().orElseThrow();
    assertThat(remote.baseline())
        .map(r -> r.measurement().shortName())
        .hasValue("LimiterFixture.directCall");
    assertThat(Group.ratio(remote.rows().get(0), remote.baseline().get())).isEqualTo(100);
  }

  @Test
  void aBaselineLeftOutOfTheRunIsExplained() {
    Group remote = Group.of(List.of(row(REMOTE, "remoteAcquire", 200))).get(0);

    assertThat(remote.baseline()).isEmpty();
    assertThat(remote.baselineNote())
        .contains("LimiterFixture.directCall")
        .contains("not part of this run");
  }

  @Test
  void twoBaselinesWithoutAChoiceAreAnError() {
    String ambiguous = "dev.keelson.benchmarks.report.fixtures.TwoBaselinesFixture";

    assertThatThrownBy(
            () -> Group.of(List.of(row(ambiguous, "first", 1), row(ambiguous, "second", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ambiguous")
        .hasMessageContaining("@BenchmarkGroup(baseline = ...)");
  }

  @Test
  void aClassWithoutAGroupIsAnError() {
    assertThatThrownBy(
            () -> row("dev.keelson.benchmarks.report.fixtures.UngroupedFixture", "lonely", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@BenchmarkGroup");
  }
}

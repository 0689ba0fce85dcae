package io.kevo.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.bench.BenchMain;
import io.kevo.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kill round of {@code kevo-bench failover} end to end: an embedded ZooKeeper in this JVM,
 * three {@code kevo server} processes of the distribution on 127.0.0.1, four writers. 35–70 s here.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FailoverCommandIT {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void aKilledPrimaryIsReplacedWithoutWaitingForItsSessionAndNoAcknowledgedWriteIsLost()
      throws Exception {
    Path json = tmp.resolve("failover.json");
    Path logs = tmp.resolve("logs");

    int exit =
        BenchMain.execute(
            "failover",
            "--rounds",
            "1",
            "--writers",
            "4",
            "--steady",
            "1s",
            "--dir",
            tmp.resolve("work").toString(),
            "--keep-logs",
            logs.toString(),
            "--json",
            json.toString());

    assertThat(exit).isZero();
    Map<String, Object> root = Json.parseObject(Files.readString(json));
    Map<String, Object> results = (Map<String, Object>) root.get("results");
    List<Map<String, Object>> rounds = (List<Map<String, Object>>) results.get("rounds");
    assertThat(rounds).hasSize(1);
    Map<String, Object> round = rounds.get(0);
    assertThat(round.get("new_primary")).isNotEqualTo(round.get("killed"));
    assertThat((Long) round.get("new_epoch")).isGreaterThan((Long) round.get("old_epoch"));
    // A SIGKILL closes no session, but the replicas find the dead primary's port refusing and
    // remove its entry themselves, well before its 4 s session would lapse.
    assertThat((Double) round.get("session_expired_ms")).isPositive().isLessThan(4_000.0);
    double unavailable = (Double) round.get("unavailable_ms");
    assertThat(unavailable).isGreaterThan((Double) round.get("session_expired_ms") - 100);
    assertThat(unavailable).isLessThan(60_000.0);
    assertThat((Map<String, Object>) round.get("phases_ms")).doesNotContainValue(null);
    Map<String, Object> writes = (Map<String, Object>) results.get("writes");
    assertThat((Long) writes.get("acknowledged")).isPositive();
    assertThat(writes.get("acknowledged_checked")).isEqualTo(writes.get("acknowledged"));
    assertThat(writes.get("lost")).isEqualTo(0L);
    Map<String, Object> switchover = (Map<String, Object>) results.get("switchover");
    assertThat(switchover.get("measured")).isEqualTo(true);
    assertThat((Double) switchover.get("pause_ms")).isPositive();
    assertThat((Long) switchover.get("epoch")).isGreaterThan((Long) round.get("new_epoch"));
    assertThat(logs.resolve("n1.log")).exists();
    assertThat(Files.readString(logs.resolve(round.get("new_primary") + ".log")))
        .contains("cluster c1: primary of epoch");
    assertThat(tmp.resolve("work")).isEmptyDirectory();
  }
}

package io.kevo.replication.replica;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.KevoDB;
import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;
import io.kevo.replication.ReplicaIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscardReportTest {
  @TempDir Path dir;

  @Test
  void escapesEverythingButPrintableAscii() {
    assertThat(DiscardReport.escape("user:1".getBytes(UTF_8))).isEqualTo("user:1");
    assertThat(DiscardReport.escape(new byte[] {'a', ' ', '\\', 0, (byte) 0xff, '\n'}))
        .isEqualTo("a\\x20\\x5c\\x00\\xff\\x0a");
  }

  @Test
  void recordsTheOperationsOfTheRangeStillInTheLog() throws Exception {
    try (KevoDB db = KevoDB.open(dir, Options.builder().syncMode(SyncMode.NONE).build())) {
      db.put("a".getBytes(UTF_8), "1".getBytes(UTF_8));
      db.put("b c".getBytes(UTF_8), "2".getBytes(UTF_8));
      db.delete("a".getBytes(UTF_8));
      db.put("d".getBytes(UTF_8), "4".getBytes(UTF_8));
      Path file = DiscardReport.log(db, "r1", 2, 3);
      assertThat(file).isNotNull();
      assertThat(file.getFileName().toString()).endsWith("-2-3.txt");
      assertThat(file.getParent())
          .isEqualTo(dir.resolve(ReplicaIdentity.DIRECTORY).resolve(DiscardReport.DIRECTORY));
      assertThat(Files.readAllLines(file)).containsExactly("2 PUT b\\x20c 2", "3 DELETE a");
      // Nothing to record for an empty range.
      assertThat(DiscardReport.log(db, "r1", 5, 4)).isNull();
    }
  }
}

package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kevo.coordination.ShardRange;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KeyRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's database narrowed to its shard's keys: it drops the keys a shard no longer owns, and
 * never widens to keys it does not hold.
 */
class RangeKeeperTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void dropsTheKeysItsShardNoLongerOwnsAndNeverWidens() {
    try (KevoDB db = KevoDB.open(dir.resolve("db"))) {
      for (char c = 'a'; c <= 'z'; c++) {
        db.put(b(c + "-key"), b("v"));
      }
      RangeKeeper keeper = new RangeKeeper(db);
      KeyRange toM = RangeKeeper.keys(new ShardRange("s1", new byte[0], b("m")));

      assertThat(keeper.keep("s1", toM)).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> db.retained().equals(toM));
      await().atMost(Duration.ofSeconds(30)).until(() -> !keeper.keep("s1", toM));
      assertThat(db.get(b("l-key"))).isPresent();
      assertThat(db.get(b("m-key"))).isEmpty();
      assertThat(db.get(b("z-key"))).isEmpty();

      // A map giving the shard more than the database holds: reported, nothing changes.
      KeyRange toT = RangeKeeper.keys(new ShardRange("s1", new byte[0], b("t")));
      assertThat(keeper.keep("s1", toT)).isFalse();
      assertThat(db.retained()).isEqualTo(toM);
    }
  }
}

package io.kevo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: a child JVM writes with IMMEDIATE sync from several threads and reports each
 * acknowledged write; the test kills it with SIGKILL at a random moment, reopens the database and
 * checks that every acknowledged write is there with its value, that nothing that was never written
 * appears, and that batches are all-or-nothing. Rounds accumulate in one directory, so later rounds
 * also recover earlier recoveries. {@code -Dkevo.crash.rounds} sets the count (20 by default, 500
 * with {@code -Pstress}).
 */
class CrashRecoveryTest {
  private static final Pattern KEY = Pattern.compile("r(\\d+)-t(\\d+)-(\\d+)(-b(\\d))?");

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    run(false);
  }

  /** Tiny memtables and levels: the kill lands during flushes and compactions. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void everyAcknowledgedWriteSurvivesKillDashNineDuringFlushAndCompaction() throws Exception {
    run(true);
    try (KevoDB db = KevoDB.open(dir, CrashWriterMain.options(true))) {
      assertThat(db.stats().sstableCount()).as("the children flushed tables").isPositive();
    }
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .as("temporary files left after reopen")
          .isEmpty();
    }
  }

  /** Every tenth write is a three-key transaction: a commit is all-or-nothing across a crash. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void transactionsCommittedBeforeKillDashNineAreWholeAndOthersAbsent() throws Exception {
    run("txn");
  }

  private void run(boolean lsm) throws Exception {
    run(lsm ? "lsm" : "plain");
  }

  private void run(String mode) throws Exception {
    boolean lsm = mode.equals("lsm");
    int rounds = Integer.getInteger("kevo.crash.rounds", 20);
    Random random = new Random(Long.getLong("kevo.crash.seed", System.nanoTime()));
    Set<String> acked = new HashSet<>();
    for (int round = 0; round < rounds; round++) {
      Set<String> roundAcks = ConcurrentHashMap.newKeySet();
      Process p = ChildJvm.start(CrashWriterMain.class, dir.toString(), "" + round, "4", mode);
      try {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).as("child started (see kevo-child-jvm.log)").isEqualTo("READY");
        Thread reader =
            new Thread(
                () -> {
                  try {
                    String line;
                    while ((line = in.readLine()) != null) {
                      if (line.startsWith("ACK ") && line.endsWith(" END")) {
                        roundAcks.add(line.substring(4, line.length() - 4));
                      }
                    }
                  } catch (java.io.IOException ignored) {
                    // the child was killed
                  }
                });
        reader.start();
        Thread.sleep(50 + random.nextInt(400));
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
      } finally {
        p.destroyForcibly();
      }
      acked.addAll(roundAcks);
      verify(acked, round, lsm);
    }
    assertThat(acked).as("the children acknowledged writes").isNotEmpty();
  }

  private void verify(Set<String> acked, int round, boolean lsm) {
    try (KevoDB db = KevoDB.open(dir, CrashWriterMain.options(lsm))) {
      for (String k : acked) {
        assertThat(db.get(k.getBytes(StandardCharsets.UTF_8)))
            .as("acknowledged key %s after round %d", k, round)
            .hasValueSatisfying(
                v ->
                    assertThat(new String(v, StandardCharsets.UTF_8))
                        .isEqualTo(CrashWriterMain.value(k)));
      }
      Set<String> batchBases = new HashSet<>();
      long live = 0;
      try (KevoIterator it = db.scan(ScanOptions.ALL)) {
        while (it.hasNext()) {
          KeyValue kv = it.next();
          String k = new String(kv.key(), StandardCharsets.UTF_8);
          Matcher m = KEY.matcher(k);
          assertThat(m.matches()).as("unexpected key %s", k).isTrue();
          assertThat(new String(kv.value(), StandardCharsets.UTF_8))
              .as("value of %s", k)
              .isEqualTo(CrashWriterMain.value(k));
          if (m.group(4) != null) {
            batchBases.add(k.substring(0, k.length() - 3));
          }
          live++;
        }
      }
      for (String base : batchBases) {
        for (String suffix : List.of("-b0", "-b1", "-b2")) {
          assertThat(db.get((base + suffix).getBytes(StandardCharsets.UTF_8)))
              .as("batch %s is all-or-nothing", base)
              .isPresent();
        }
      }
      assertThat(live).isGreaterThanOrEqualTo(acked.size());
      assertThat(db.latestSequence()).isEqualTo(live);
    }
  }
}

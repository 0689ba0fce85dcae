package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EpochLedgerTest {

  @Test
  void racingClientsNeverShareAnEpochAndEachGrantIsHigherThanTheLast() throws Exception {
    int clients = 8;
    int rounds = 25;
    try (TestingServer server = ZkTestSupport.startServer()) {
      List<Coordinator> sessions = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        for (int i = 0; i < clients; i++) {
          sessions.add(ZkTestSupport.connect(server, "race"));
        }
        ConcurrentLinkedQueue<Long> granted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> conflicts = new ConcurrentLinkedQueue<>();
        CyclicBarrier barrier = new CyclicBarrier(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (Coordinator session : sessions) {
          EpochLedger ledger = new EpochLedger(session);
          futures.add(
              pool.submit(
                  () -> {
                    List<Long> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                      barrier.await(30, TimeUnit.SECONDS);
                      long seen = ledger.current();
                      try {
                        long epoch = ledger.claimNext(seen);
                        mine.add(epoch);
                        granted.add(epoch);
                      } catch (EpochConflictException e) {
                        assertThat(e.current()).isGreaterThan(e.seen());
                        conflicts.add(e.current());
                      }
                    }
                    assertThat(mine).isSorted().doesNotHaveDuplicates();
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get(90, TimeUnit.SECONDS);
        }
        long finalEpoch = new EpochLedger(sessions.get(0)).current();
        assertThat(granted).doesNotHaveDuplicates();
        // Every epoch from 1 to the final one was granted to exactly one claimant: no gaps, no
        // double grants, so each grant was exactly one above the ledger it replaced.
        assertThat(granted).containsExactlyInAnyOrderElementsOf(range(1, finalEpoch));
        assertThat(finalEpoch).isBetween((long) rounds, (long) rounds * clients);
        assertThat((long) granted.size() + conflicts.size()).isEqualTo((long) rounds * clients);
      } finally {
        pool.shutdownNow();
        sessions.forEach(Coordinator::close);
      }
    }
  }

  @Test
  void grantsPerClientAreStrictlyIncreasing() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator a = ZkTestSupport.connect(server, "inc");
        Coordinator b = ZkTestSupport.connect(server, "inc")) {
      EpochLedger la = new EpochLedger(a);
      EpochLedger lb = new EpochLedger(b);
      assertThat(la.current()).isZero();
      assertThat(la.claimNext(0)).isEqualTo(1);
      assertThat(lb.current()).isEqualTo(1);
      assertThat(lb.claimNext(1)).isEqualTo(2);
      assertThat(la.claimNext(la.current())).isEqualTo(3);
    }
  }

  @Test
  void aStaleClaimFailsWithTheWinnersEpoch() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator a = ZkTestSupport.connect(server, "stale");
        Coordinator b = ZkTestSupport.connect(server, "stale")) {
      EpochLedger la = new EpochLedger(a);
      EpochLedger lb = new EpochLedger(b);
      assertThat(la.claimNext(0)).isEqualTo(1);
      assertThatThrownBy(() -> lb.claimNext(0))
          .isInstanceOfSatisfying(
              EpochConflictException.class,
              e -> {
                assertThat(e.seen()).isZero();
                assertThat(e.current()).isEqualTo(1);
              })
          .hasMessageContaining("moved it to 1");
      assertThatThrownBy(() -> lb.claimNext(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aClaimCanJumpPastAnEpochSeenOutsideTheLedgerButNeverBackwards() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator a = ZkTestSupport.connect(server, "jump")) {
      EpochLedger ledger = new EpochLedger(a);
      assertThat(ledger.claimAtLeast(0, 5)).isEqualTo(5);
      assertThat(ledger.current()).isEqualTo(5);
      assertThat(ledger.claimAtLeast(5, 2)).isEqualTo(6);
      assertThatThrownBy(() -> ledger.claimAtLeast(5, 9))
          .isInstanceOf(EpochConflictException.class);
    }
  }

  @Test
  void aCorruptLedgerIsReportedNotOverwritten() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator a = ZkTestSupport.connect(server, "bad")) {
      a.client()
          .create()
          .creatingParentsIfNeeded()
          .forPath(a.path("epoch"), "x".getBytes(StandardCharsets.US_ASCII));
      EpochLedger ledger = new EpochLedger(a);
      assertThatThrownBy(ledger::current)
          .isInstanceOf(CoordinationException.class)
          .hasMessageContaining("no number");
      assertThatThrownBy(() -> ledger.claimNext(0)).isInstanceOf(CoordinationException.class);
    }
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}

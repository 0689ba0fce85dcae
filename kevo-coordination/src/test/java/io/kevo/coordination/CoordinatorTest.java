package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CoordinatorTest {

  @Test
  void sessionGoesSuspendedThenLostWhenTheServerStopsAndLiveOnRestart() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator coordinator = ZkTestSupport.connect(server, "c1")) {
      List<SessionState> seen = new CopyOnWriteArrayList<>();
      coordinator.addListener(seen::add);
      assertThat(coordinator.state()).isEqualTo(SessionState.LIVE);

      server.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(SessionState.LOST));
      assertThat(seen).containsSubsequence(SessionState.SUSPENDED, SessionState.LOST);
      assertThat(seen.indexOf(SessionState.SUSPENDED)).isLessThan(seen.indexOf(SessionState.LOST));

      server.restart();
      // The state changes before the listeners hear of it: wait for both.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  coordinator.state() == SessionState.LIVE
                      && seen.get(seen.size() - 1) == SessionState.LIVE);
    }
  }

  @Test
  void aFailingListenerDoesNotStopTheOthersAndRemovedListenersHearNothing() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator coordinator = ZkTestSupport.connect(server, "c2")) {
      List<SessionState> seen = new CopyOnWriteArrayList<>();
      List<SessionState> removed = new CopyOnWriteArrayList<>();
      java.util.function.Consumer<SessionState> removedListener = removed::add;
      coordinator.addListener(
          s -> {
            throw new IllegalStateException("a listener's bug");
          });
      coordinator.addListener(removedListener);
      coordinator.addListener(seen::add);
      coordinator.removeListener(removedListener);
      server.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(SessionState.SUSPENDED));
      // Listeners run in order on one thread: had it still been registered, it would have heard.
      assertThat(removed).isEmpty();
    }
  }

  @Test
  void closeIsIdempotentAndEndsTheSession() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer()) {
      Coordinator coordinator = ZkTestSupport.connect(server, "c3");
      assertThat(coordinator.path("members/n1")).isEqualTo("/kevo/clusters/c3/members/n1");
      assertThat(coordinator.options().cluster()).isEqualTo("c3");
      coordinator.close();
      coordinator.close();
      assertThat(coordinator.awaitLive(Duration.ofMillis(100))).isFalse();
    }
  }

  @Test
  void mapsEveryCuratorState() {
    assertThat(SessionState.of(ConnectionState.CONNECTED)).isEqualTo(SessionState.LIVE);
    assertThat(SessionState.of(ConnectionState.RECONNECTED)).isEqualTo(SessionState.LIVE);
    assertThat(SessionState.of(ConnectionState.SUSPENDED)).isEqualTo(SessionState.SUSPENDED);
    assertThat(SessionState.of(ConnectionState.READ_ONLY)).isEqualTo(SessionState.SUSPENDED);
    assertThat(SessionState.of(ConnectionState.LOST)).isEqualTo(SessionState.LOST);
  }

  @Test
  void optionsRejectBadEnsemblesNamesAndTimeouts() {
    CoordinatorOptions ok = CoordinatorOptions.of("127.0.0.1:2181,zk2:2181", "prod-1");
    assertThat(ok.sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(ok.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ok.clusterPath()).isEqualTo("/kevo/clusters/prod-1");
    assertThatThrownBy(() -> CoordinatorOptions.of("localhost", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> CoordinatorOptions.of("h:1", "a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster name");
    assertThatThrownBy(() -> ok.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> ok.withTimeouts(Duration.ofMillis(50), Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.kevo.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MemberRegistryTest {
  private static final MemberInfo N1 =
      new MemberInfo("n1", "127.0.0.1:5001", "primary", 1, 1, 10, false);
  private static final MemberInfo N2 =
      new MemberInfo("n2", "127.0.0.1:5002", "replica", 1, 1, 7, true);

  @Test
  void aMemberIsVisibleToAnotherClientAndGoneWhenItsSessionCloses() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator observer = ZkTestSupport.connect(server, "m1")) {
      assertThat(MemberRegistry.readMembers(observer)).isEmpty();
      Coordinator node1 = ZkTestSupport.connect(server, "m1");
      try (Coordinator node2 = ZkTestSupport.connect(server, "m1");
          MemberRegistry r2 = MemberRegistry.register(node2, N2)) {
        MemberRegistry r1 = MemberRegistry.register(node1, N1);
        assertThat(r1.awaitRegistered(Duration.ofSeconds(10))).isTrue();
        assertThat(r2.awaitRegistered(Duration.ofSeconds(10))).isTrue();

        assertThat(MemberRegistry.readMembers(observer)).containsExactly(N1, N2);
        assertThat(r2.members()).containsExactly(N1, N2);

        // The session ends without the registry being closed: the ephemeral node goes with it.
        node1.close();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> MemberRegistry.readMembers(observer).equals(List.of(N2)));
        r1.close();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> MemberRegistry.readMembers(observer).isEmpty());
    }
  }

  @Test
  void updatesAreCoalescedAndTheLastOneWins() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator observer = ZkTestSupport.connect(server, "m2");
        Coordinator node = ZkTestSupport.connect(server, "m2");
        MemberRegistry registry = MemberRegistry.register(node, N1, Duration.ofMillis(200))) {
      assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      long start = System.nanoTime();
      MemberInfo last = N1;
      for (int i = 1; i <= 500; i++) {
        last = N1.withProgress("primary", 1, 1, 10 + i);
        registry.update(last);
      }
      assertThat(registry.latest()).isEqualTo(last);
      MemberInfo expected = last;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> MemberRegistry.readMembers(observer).equals(List.of(expected)));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      // One write at once, then at most one per 200 ms while updates keep coming.
      assertThat(registry.writeCount()).isBetween(1L, 2 + elapsedMillis / 200);
    }
  }

  @Test
  void theEntryComesBackWithItsLatestFiguresAfterTheSessionIsLost() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator node = ZkTestSupport.connect(server, "m3");
        MemberRegistry registry = MemberRegistry.register(node, N1, Duration.ZERO)) {
      assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      MemberInfo moved = N1.withProgress("primary", 1, 1, 99);
      registry.update(moved);
      server.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> node.state() == SessionState.LOST);
      server.restart();
      try (Coordinator observer = ZkTestSupport.connect(server, "m3")) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> MemberRegistry.readMembers(observer).equals(List.of(moved)));
      }
    }
  }

  @Test
  void rejectsAnotherIdAndIgnoresUpdatesAfterClose() throws Exception {
    try (TestingServer server = ZkTestSupport.startServer();
        Coordinator node = ZkTestSupport.connect(server, "m4")) {
      MemberRegistry registry = MemberRegistry.register(node, N1);
      assertThat(registry.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      assertThatThrownBy(() -> registry.update(N2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("n1");
      registry.close();
      registry.close();
      registry.update(N1.withProgress("replica", 2, 1, 3));
      assertThat(registry.latest()).isEqualTo(N1);
      assertThat(MemberRegistry.readMembers(node)).isEmpty();
    }
  }

  @Test
  void theDocumentIsJsonAndReadsBack() {
    byte[] json = MemberCodec.encode(N2);
    assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"id\":\"n2\"", "\"durableSequence\":7", "\"noPromote\":true");
    assertThat(MemberCodec.decode(json)).isEqualTo(N2);
    assertThat(
            MemberCodec.decode(
                ("{\"id\":\"n3\",\"clientAddress\":\"h:1\",\"role\":\"replica\",\"epoch\":0,"
                        + "\"durableSequence\":0,\"noPromote\":false,\"future\":1}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(new MemberInfo("n3", "h:1", "replica", 0, 0, 0, false));
    assertThatThrownBy(
            () -> MemberCodec.decode("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(CoordinationException.class);
    assertThatThrownBy(() -> new MemberInfo("a/b", "h:1", "replica", 0, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MemberInfo("a", "h:1", "replica", -1, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

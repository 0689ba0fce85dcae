package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.cli.InProcessKevo.Run;
import io.kevo.coordination.ClusterRecords;
import io.kevo.coordination.Coordinator;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.MemberRegistry;
import io.kevo.coordination.SwitchoverRequest;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kevo switchover}'s answers that need no running node: a real ZooKeeper (TestingServer)
 * with members registered through the coordination module. The move itself is exercised with real
 * nodes in AutomaticFailoverIT.
 */
class SwitchoverCommandTest {
  private TestingServer zk;
  private Coordinator coordinator;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    coordinator = Coordinator.start(CoordinatorOptions.of(zk.getConnectString(), "sw"));
    assertThat(coordinator.awaitLive(Duration.ofSeconds(10))).isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    coordinator.close();
    zk.close();
  }

  private Run switchover(String to, String... extra) {
    String[] args = {
      "switchover", "--coordinator", zk.getConnectString(), "--cluster", "sw", "--to", to
    };
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    return kevo("", all);
  }

  @Test
  void aClusterWithoutPrimaryHasNothingToSwitchOverFrom() {
    Run run = switchover("n1");
    assertThat(run.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
    assertThat(run.err()).contains("cluster sw has no primary to switch over from");
  }

  @Test
  void theTargetMayBeNamedByIdOrAddressAndThePrimaryItselfIsAlreadyDone() throws Exception {
    try (MemberRegistry p =
            MemberRegistry.register(
                coordinator,
                new MemberInfo("n1", "127.0.0.1:5001", MemberInfo.PRIMARY, 1, 1, 9, false));
        MemberRegistry r =
            MemberRegistry.register(
                coordinator,
                new MemberInfo("n2", "127.0.0.1:5002", MemberInfo.REPLICA, 1, 1, 9, false))) {
      assertThat(p.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      assertThat(r.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      Run self = switchover("127.0.0.1:5001");
      assertThat(self.status()).isZero();
      assertThat(self.out()).contains("n1 is already the primary (epoch 1)");

      Run unknown = switchover("n7");
      assertThat(unknown.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
      assertThat(unknown.err())
          .contains("no live member n7 in cluster sw")
          .contains("n1 at 127.0.0.1:5001")
          .contains("n2 at 127.0.0.1:5002");

      // Nobody acts on the request here: it times out, and the request is withdrawn.
      Run late = switchover("n2", "--timeout", "300ms");
      assertThat(late.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
      assertThat(late.err()).contains("did not complete within 300ms; the request was withdrawn");
      ClusterRecords records = new ClusterRecords(coordinator);
      assertThat(records.switchover()).isEmpty();

      // A primary that refuses: the command says why and clears the request.
      Thread refuser =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  var asked = records.switchover();
                  if (asked.isPresent() && !asked.get().isRefused()) {
                    records.updateSwitchover(asked.get().refused("n2 is marked --no-promote"));
                    return;
                  }
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      refuser.start();
      Run refused = switchover("n2");
      refuser.interrupt();
      refuser.join(5_000);
      assertThat(refused.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
      assertThat(refused.err()).contains("switchover to n2 refused: n2 is marked --no-promote");
      assertThat(records.switchover()).isEmpty();

      records.requestSwitchover(SwitchoverRequest.to("n2", 1));
      Run pending = switchover("n2");
      assertThat(pending.status()).isEqualTo(ExitCodes.COMMAND_FAILED);
      assertThat(pending.err()).contains("a switchover to n2 is already under way");
    }
  }

  @Test
  void anUnreachableCoordinatorOrABadTimeoutIsAOneLineError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run down =
        kevo(
            "",
            "switchover",
            "--coordinator",
            "127.0.0.1:" + port,
            "--cluster",
            "sw",
            "--to",
            "n1");
    assertThat(down.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(down.err()).contains("cannot reach the coordinator at 127.0.0.1:" + port);
    Run bad = switchover("n1", "--timeout", "soon");
    assertThat(bad.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(bad.err()).startsWith("error:");
  }
}

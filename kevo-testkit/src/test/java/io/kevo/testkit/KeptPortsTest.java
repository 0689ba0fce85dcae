package io.kevo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptPortsTest {
  @Test
  void picksAFreePortBelowTheEphemeralRange() throws Exception {
    int low = KeptPorts.ephemeralLow();
    assertThat(low)
        .as("this machine's ephemeral range is readable")
        .isGreaterThan(KeptPorts.LOWEST);

    int port = KeptPorts.pick();

    assertThat(port).isBetween(KeptPorts.LOWEST, low - 1);
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void outgoingConnectionsNeverTakeAPickedPort() throws Exception {
    // What broke a restart: while a node was down, an outgoing connection got its port number as
    // its local port. The kernel gives outgoing connections ports of the ephemeral range only.
    int picked = KeptPorts.pick();
    List<Socket> clients = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 500, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 200; i++) {
        Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        clients.add(c);
        clients.add(server.accept());
        assertThat(c.getLocalPort())
            .isNotEqualTo(picked)
            .isGreaterThanOrEqualTo(KeptPorts.ephemeralLow());
      }
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), picked));
      }
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
  }
}

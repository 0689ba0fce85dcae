package io.kevo.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether a node's client port refuses connections: the sign that its process is gone (a Kevo node
 * stops listening only after it has left the coordinator). A timeout or any other error is not a
 * refusal: a frozen or unreachable process is not known to be gone. Stateless.
 */
final class PortProbe {
  private PortProbe() {}

  /** True if a TCP connection to {@code hostPort} is refused within {@code timeout}. */
  static boolean refuses(String hostPort, Duration timeout) {
    HostPort hp;
    try {
      hp = HostPort.parse(hostPort);
    } catch (IllegalArgumentException e) {
      return false;
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(hp.host(), hp.port()), Math.toIntExact(timeout.toMillis()));
      return false;
    } catch (ConnectException e) {
      String m = e.getMessage();
      return m != null && m.toLowerCase(Locale.ROOT).contains("refused");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}

package io.kevo.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code HOST:PORT} ({@code [v6addr]:PORT} for IPv6) taken apart; port in 0..65535. Immutable. */
record HostPort(String host, int port) {
  /**
   * @throws IllegalArgumentException if {@code hostPort} is not of that form
   */
  static HostPort parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
    }
    String h = hostPort.substring(0, colon);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    int p;
    try {
      p = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'", e);
    }
    if (p < 0 || p > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + p);
    }
    return new HostPort(h, p);
  }

  /**
   * {@code host} and {@code port} as a listen address (port 0: a free one).
   *
   * @param what prefixed to the messages ({@code "metrics "}, or empty)
   * @throws IllegalArgumentException for a blank host or a port outside 0..65535
   */
  static HostPort check(String host, int port, String what) {
    java.util.Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException(what + "host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(what + "port must be in 0..65535, got " + port);
    }
    return new HostPort(host, port);
  }

  /**
   * {@code hostPort} if it is an address one can connect to (a port in 1..65535).
   *
   * @throws IllegalArgumentException naming the setting {@code name} otherwise
   */
  static String requireConnectable(String hostPort, String name) {
    HostPort hp;
    try {
      hp = parse(hostPort);
    } catch (IllegalArgumentException e) {
      hp = null;
    }
    if (hp == null || hp.port() == 0) {
      throw new IllegalArgumentException(
          name + ": expected HOST:PORT with a port in 1..65535, got '" + hostPort + "'");
    }
    return hostPort;
  }

  /** Whether {@code host} names a loopback address (a name that does not resolve does not). */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package io.kevo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks ports on 127.0.0.1 for servers that must listen on the same port again after a kill (a
 * node, ZooKeeper). A port from the kernel's ephemeral range is unsafe for that: while the server
 * is down, any outgoing connection on the machine may be given the same number as its local port
 * and hold it, and the restart cannot bind. So the port is picked below that range, where the
 * kernel hands out nothing by itself, at random (processes picking at once rarely meet) and checked
 * free when picked.
 */
public final class KeptPorts {
  /** Where Linux keeps the ephemeral range, "LOW HIGH". */
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** The lowest port picked: above the well-known and most registered services' ports. */
  static final int LOWEST = 10_000;

  private static final int ATTEMPTS = 200;

  private KeptPorts() {}

  /** A port free on 127.0.0.1 now, outside the ephemeral range where the range is known. */
  public static int pick() {
    int below = ephemeralLow();
    if (below - LOWEST < 1_000) {
      return anyFree();
    }
    for (int i = 0; i < ATTEMPTS; i++) {
      int candidate = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (free(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no free port between " + LOWEST + " and " + below + " after " + ATTEMPTS + " tries");
  }

  /** The first port of the ephemeral range; {@link #LOWEST} when it cannot be read. */
  static int ephemeralLow() {
    // Read as a stream: the file reports a size of 0, which whole-file reads may trust.
    try (java.io.BufferedReader in =
        Files.newBufferedReader(EPHEMERAL_RANGE, StandardCharsets.US_ASCII)) {
      String[] range = in.readLine().trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return LOWEST;
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int anyFree() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

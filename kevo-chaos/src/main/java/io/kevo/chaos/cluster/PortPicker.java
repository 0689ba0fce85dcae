package io.kevo.chaos.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a free port on 127.0.0.1 for a node that must keep its port across restarts (proxies point
 * at it). The port is free when picked; another process could take it before the node binds it,
 * which the node's start then reports.
 */
final class PortPicker {
  private PortPicker() {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}

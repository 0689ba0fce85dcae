package io.kevo.server;

/**
 * Reads a {@link KevoServer}'s package-private gauges for the client's tests (same package on the
 * test class path), so they can check that the server released what a client call held.
 */
public final class ServerProbe {
  private ServerProbe() {}

  public static int openScans(KevoServer server) {
    return server.openScans();
  }

  public static int openTransactions(KevoServer server) {
    return server.openTransactions();
  }
}

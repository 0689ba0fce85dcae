package io.kevo.testkit;

import java.util.List;

/**
 * What a {@link NodeProcess} runs: the command line of one server process given its JVM options and
 * its server options ({@code --data DIR --listen HOST:PORT --port-file FILE} first, then the node's
 * own). The server must write the port it bound, alone, to the port file once it listens, and stop
 * cleanly on SIGTERM. {@link KevoDistribution} runs {@code kevo server}; a tool can run a server of
 * its own that keeps that contract. Implementations are immutable and thread-safe.
 */
public interface NodeLauncher {
  /** The full command line ({@code java ...}) of a server with {@code serverArgs}. */
  List<String> serverCommand(List<String> jvmOptions, List<String> serverArgs);
}

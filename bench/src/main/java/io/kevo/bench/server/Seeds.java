package io.kevo.bench.server;

/** Seeds of the clients' random key choices: the same for the server and the engine. */
final class Seeds {
  private Seeds() {}

  /** The seed of client {@code client} in a phase of {@code workload}. */
  static long client(long seed, RequestKind workload, int client) {
    return seed * 31 + workload.ordinal() * 100_003L + client;
  }
}

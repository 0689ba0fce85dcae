package io.kevo.bench.server;

import java.util.Locale;

/**
 * The request kinds of the {@code server} benchmark, each run the same way over gRPC and on the
 * embedded engine. One call of {@link #BATCH} carries {@code --batch-size} puts; every other call
 * is one operation. These are what {@code server --workloads} names; the engine benchmarks'
 * scenarios are {@link io.kevo.bench.workload.Workload}.
 */
enum RequestKind {
  /** Get of a random preloaded key (each must be found). */
  GET,
  /** Put of a fresh key. */
  PUT,
  /** Delete of a key the put workload wrote (in the order it wrote them). */
  DELETE,
  /** One atomic batch of fresh-key puts (BatchWrite; WriteBatch on the engine). */
  BATCH;

  /** The name used on the command line and in reports: {@code get}, {@code put}, ... */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static RequestKind fromId(String id) {
    for (RequestKind w : values()) {
      if (w.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown server workload '" + id + "' (expected get, put, delete or batch)");
  }
}

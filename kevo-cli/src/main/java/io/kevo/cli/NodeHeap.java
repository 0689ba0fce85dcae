package io.kevo.cli;

import io.kevo.engine.MemoryBudget;
import io.kevo.engine.Options;

/**
 * The Java heap a {@code kevo server} node needs: what its engine's options need ({@link
 * MemoryBudget}: memtables, block cache and the engine's overhead) plus {@link
 * #SERVER_OVERHEAD_BYTES} for the server around it. The launcher asks for it ({@code kevo server
 * --print-heap}) and starts the node with that {@code -Xmx} unless {@code KEVO_JAVA_OPTS} sets one.
 *
 * <p>Stateless.
 */
final class NodeHeap {
  /**
   * gRPC calls and their buffers, open transactions and scans, and a primary's replication tail (32
   * MiB by default).
   */
  static final long SERVER_OVERHEAD_BYTES = 128L << 20;

  private NodeHeap() {}

  /** The heap, in bytes, of a node whose engine is opened with {@code engine}. */
  static long bytes(Options engine) {
    return MemoryBudget.heapBytes(engine) + SERVER_OVERHEAD_BYTES;
  }
}

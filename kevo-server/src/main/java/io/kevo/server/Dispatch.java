package io.kevo.server;

/**
 * Which threads run the RPC handlers. On a small machine the hand-off from the network thread to a
 * pool thread and back costs several times what a point lookup or an unsynced write does (measured
 * on 2 cores with 16 clients: 43.2 µs of server CPU per {@code Get} through a pool, 12.4 µs inline;
 * see docs/benchmarks-history.md, "Before: every call on a thread pool").
 */
public enum Dispatch {
  /**
   * {@code Get}, and {@code Put} and {@code Delete} when they cannot wait for an fsync (the engine
   * in {@link io.kevo.engine.SyncMode#NONE} and the request's {@code sync} off), run on the Netty
   * event loop that read them, with no thread hand-off; every other call ({@code BatchWrite},
   * scans, transactions, administration, writes that sync) runs on a pool. The price: while the
   * engine holds back an unsynced put or delete (a full memtable waiting for its flush, level-0
   * throttling), the other calls of that event loop's connections wait too.
   */
  EVENT_LOOP,
  /** Every call runs on a pool thread, so one stalled call never delays another. */
  POOL
}

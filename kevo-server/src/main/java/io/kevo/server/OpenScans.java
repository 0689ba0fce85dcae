package io.kevo.server;

import io.kevo.engine.KeyValue;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The scans streaming now ({@code Scan} and {@code TxScan}), each with an open engine iterator:
 * counts the bytes they send and lets shutdown abort them. Thread-safe.
 */
final class OpenScans implements ScanPump.Listener {
  private final Set<ScanPump<?>> scans = ConcurrentHashMap.newKeySet();
  private final RpcMetrics metrics;

  OpenScans(RpcMetrics metrics) {
    this.metrics = metrics;
  }

  /** What {@link ScanPump#start} registers a new scan with. */
  Consumer<ScanPump<?>> register() {
    return scans::add;
  }

  @Override
  public void sent(KeyValue kv) {
    metrics.addBytesRead((long) kv.key().length + kv.value().length);
  }

  @Override
  public void closed(ScanPump<?> pump) {
    scans.remove(pump);
  }

  /** Scans streaming now (their engine iterators are open). */
  int count() {
    return scans.size();
  }

  /** Fails every open scan and closes its iterator (server shutdown). */
  void abortAll() {
    for (ScanPump<?> pump : new ArrayList<>(scans)) {
      pump.abort();
    }
  }
}

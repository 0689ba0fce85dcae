package io.kevo.bench.adapter;

/**
 * Write-amplification counters of one engine, cumulative since open.
 *
 * @param deviceBytes bytes written to the write-ahead log plus SSTable bytes written by flushes and
 *     compactions
 * @param userBytes key and value bytes accepted from writes
 */
public record WriteCounters(long deviceBytes, long userBytes) {
  /** The counters accumulated between {@code earlier} and this. */
  public WriteCounters since(WriteCounters earlier) {
    return new WriteCounters(deviceBytes - earlier.deviceBytes, userBytes - earlier.userBytes);
  }

  /** {@code deviceBytes / userBytes}, or 0 when nothing was written. */
  public double amplification() {
    return userBytes == 0 ? 0 : (double) deviceBytes / userBytes;
  }
}

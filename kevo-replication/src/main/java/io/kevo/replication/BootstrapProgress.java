package io.kevo.replication;

/**
 * How far a replica's bootstrap (a snapshot transfer from its primary) has come. Immutable.
 *
 * @param snapshotId the primary's name for the transfer; empty until its header arrived
 * @param sequence the snapshot's sequence (the replica streams from the next one); -1 until known
 * @param bytesDone file bytes received and written
 * @param bytesTotal file bytes of the whole snapshot; 0 until known
 * @param filesDone files complete
 * @param filesTotal files in the snapshot
 * @param elapsedMillis since the transfer was requested
 * @param bytesPerSecond the average rate so far
 * @param etaMillis the estimated time left at that rate; -1 when unknown
 */
public record BootstrapProgress(
    String snapshotId,
    long sequence,
    long bytesDone,
    long bytesTotal,
    int filesDone,
    int filesTotal,
    long elapsedMillis,
    long bytesPerSecond,
    long etaMillis) {

  public static BootstrapProgress of(
      String id, long sequence, long done, long total, int filesDone, int files, long elapsed) {
    long rate = elapsed > 0 ? done * 1000 / elapsed : 0;
    long eta = rate > 0 ? (total - done) * 1000 / rate : -1;
    return new BootstrapProgress(id, sequence, done, total, filesDone, files, elapsed, rate, eta);
  }

  /** {@code 42.0 MiB of 100.0 MiB (42%), 120.5 MiB/s, ETA 1 s} */
  public String describe() {
    int pct = bytesTotal > 0 ? (int) (bytesDone * 100 / bytesTotal) : 0;
    return String.format(
        java.util.Locale.ROOT,
        "%.1f MiB of %.1f MiB (%d%%), %.1f MiB/s, ETA %s",
        bytesDone / 1048576.0,
        bytesTotal / 1048576.0,
        pct,
        bytesPerSecond / 1048576.0,
        etaMillis < 0 ? "unknown" : (etaMillis + 999) / 1000 + " s");
  }
}

package io.kevo.backup;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a backup is taken. Immutable.
 *
 * @param maxBytesPerSecond a cap on the transfer rate, so that a backup does not take the primary's
 *     disk and network from its clients (0: no cap)
 * @param maxChunkBytes the largest chunk asked of the primary (0: its default)
 * @param idleTimeout how long to wait for the primary's next message
 * @param clock names backups and dates them
 */
public record BackupOptions(
    long maxBytesPerSecond, int maxChunkBytes, Duration idleTimeout, Clock clock) {
  /** No rate cap, the primary's chunk size, 30 s idle timeout, the system clock. */
  public static final BackupOptions DEFAULT =
      new BackupOptions(0, 0, Duration.ofSeconds(30), Clock.systemUTC());

  public BackupOptions {
    if (maxBytesPerSecond < 0 || maxChunkBytes < 0) {
      throw new IllegalArgumentException("negative rate or chunk size");
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(clock, "clock");
  }

  /** These options with a rate cap of {@code bytesPerSecond} (0: none). */
  public BackupOptions withMaxBytesPerSecond(long bytesPerSecond) {
    return new BackupOptions(bytesPerSecond, maxChunkBytes, idleTimeout, clock);
  }

  /** These options asking for chunks of at most {@code bytes} (0: the primary's default). */
  public BackupOptions withMaxChunkBytes(int bytes) {
    return new BackupOptions(maxBytesPerSecond, bytes, idleTimeout, clock);
  }
}

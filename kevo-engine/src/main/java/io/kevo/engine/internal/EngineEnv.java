package io.kevo.engine.internal;

import io.kevo.engine.internal.io.FileIo;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the engine takes from its surroundings, injectable for tests: the file-system seam, the wall
 * clock (for "refusing writes since"), and the pace of the automatic recovery from a full disk.
 *
 * @param files how the engine opens the files it writes
 * @param clock the wall clock
 * @param firstRetry the delay before the first recovery attempt after a failure
 * @param maxRetry the longest delay between attempts (the delay doubles up to it)
 * @param probeBytes how many bytes must fit in the WAL directory before writes resume after a full
 *     disk (see {@link io.kevo.engine.internal.io.SpaceProbe})
 */
public record EngineEnv(
    FileIo files, Clock clock, Duration firstRetry, Duration maxRetry, int probeBytes) {
  /** The real file system and clock; retries after 100 ms, then at most every second; 1 MiB. */
  public static final EngineEnv DEFAULT =
      new EngineEnv(
          FileIo.DEFAULT,
          Clock.systemUTC(),
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          1 << 20);

  public EngineEnv {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(clock, "clock");
    if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException(
          "need 0 < firstRetry <= maxRetry, got " + firstRetry + ", " + maxRetry);
    }
    if (probeBytes < 0) {
      throw new IllegalArgumentException("probeBytes < 0: " + probeBytes);
    }
  }

  /** This environment writing through {@code files}. */
  public EngineEnv withFiles(FileIo files) {
    return new EngineEnv(files, clock, firstRetry, maxRetry, probeBytes);
  }

  /** This environment retrying after {@code first}, then at most every {@code max}. */
  public EngineEnv withRetries(Duration first, Duration max) {
    return new EngineEnv(files, clock, first, max, probeBytes);
  }
}

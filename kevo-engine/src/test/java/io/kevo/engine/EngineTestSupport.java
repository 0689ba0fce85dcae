package io.kevo.engine;

import io.kevo.engine.internal.EngineEnv;
import io.kevo.engine.internal.io.FaultyFiles;
import java.nio.file.Path;
import java.time.Duration;

/**
 * For other modules' tests (shipped in kevo-engine's test jar with {@link FaultyFiles}, nothing
 * else): opens a {@link KevoDB} whose files are written through a fault-injecting seam, so that a
 * replica, a server or a client can be tested against an engine on a disk that fills up and is
 * freed again, without mounting a small file system.
 */
public final class EngineTestSupport {
  private EngineTestSupport() {}

  /**
   * Opens {@code dir} writing through {@code disk}, with the engine's recovery from a full disk
   * retrying after {@code firstRetry}, then at most every four times that.
   */
  public static KevoDB open(Path dir, Options options, FaultyFiles disk, Duration firstRetry) {
    return KevoDB.open(
        dir,
        options,
        EngineEnv.DEFAULT.withFiles(disk).withRetries(firstRetry, firstRetry.multipliedBy(4)));
  }
}

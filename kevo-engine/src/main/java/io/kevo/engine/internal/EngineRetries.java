package io.kevo.engine.internal;

import io.kevo.engine.internal.compaction.Background;
import io.kevo.engine.internal.io.SpaceProbe;
import io.kevo.engine.internal.wal.Wal;
import java.io.IOException;

/**
 * The engine's recovery attempts after a full disk: for the WAL, cut off what the failed append may
 * have left ({@link Wal#repair()}), then check that the WAL directory has room ({@link
 * SpaceProbe}); for the background, run the failed job again ({@link Background#resume()}).
 */
record EngineRetries(Wal wal, Background background, EngineEnv env)
    implements ErrorRecovery.Retries {
  @Override
  public void retryWal() throws IOException {
    wal.repair();
    SpaceProbe.check(env.files(), wal.directory(), env.probeBytes());
  }

  @Override
  public boolean retryBackground() {
    return background.resume();
  }
}

package io.kevo.engine.internal.wal;

import java.io.IOException;

/**
 * An fsync of the log failed. The records written before it are in the log (and were announced to
 * listeners), but whether they reached stable storage is unknown. The log never retries an fsync
 * after this: every later {@link Wal#sync()} throws this again (see {@link Wal#sync()} for why).
 */
public final class WalSyncException extends IOException {
  private static final long serialVersionUID = 1L;

  WalSyncException(String message, Throwable cause) {
    super(message, cause);
  }
}

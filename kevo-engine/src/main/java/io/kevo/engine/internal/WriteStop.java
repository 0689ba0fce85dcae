package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.WriteRefusal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One failure that makes the engine refuse writes: where it happened, the error, since when, and
 * whether the engine recovers from it by itself (a full disk) or only by a reopen. Immutable.
 */
record WriteStop(WriteStop.Origin origin, Throwable cause, Instant since, boolean recoverable) {
  /** Where a write-stopping failure happened. */
  enum Origin {
    WAL_APPEND("appending to the write-ahead log"),
    WAL_SYNC("syncing the write-ahead log"),
    /** The JVM failed while a group of writes was being logged or applied. */
    COMMIT("committing a group of writes"),
    BACKGROUND("flushing a memtable or compacting tables");

    private final String what;

    Origin(String what) {
      this.what = what;
    }
  }

  /** The code a refused write gets. */
  ErrorCode code() {
    return recoverable ? ErrorCode.NO_SPACE : ErrorCode.WRITES_REFUSED;
  }

  /** What failed, in words: "no space left on device while appending to the ... (cause)". */
  String reason() {
    return (recoverable ? "no space left on device while " : "failure while ")
        + origin.what
        + " ("
        + cause
        + ")";
  }

  WriteRefusal toRefusal() {
    return new WriteRefusal(code(), reason(), since);
  }

  /** What a write refused because of this stop gets, at {@code now}. */
  KevoException refusal(Path dir, Instant now, Duration retryEvery) {
    long seconds = Math.max(0, Duration.between(since, now).toSeconds());
    String head =
        "database " + dir + " refuses writes since " + since + " (" + seconds + " s): " + reason();
    String tail =
        recoverable
            ? "; nothing was written; writes resume by themselves once space is freed (checked"
                + " every "
                + retryEvery.toMillis()
                + " ms)"
            : "; nothing was written; reopen the database to recover";
    return new KevoException(code(), head + tail, cause);
  }
}

package io.kevo.replication.replica;

import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.OpType;
import io.kevo.engine.WalCursor;
import io.kevo.engine.WalOperation;
import io.kevo.engine.WalRecord;
import io.kevo.replication.ReplicaIdentity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a replica is about to discard when its entries diverge from its new primary's history: the
 * operations from the divergence point on, read from its own log while it still holds them, are
 * logged (the first {@link #LOGGED} of them, keys only) and written in full to {@code
 * <data>/replication/discarded/<millis>-<from>-<to>.txt}, so an operator can see, and if needed
 * redo, the writes only the old primary had. Stateless.
 *
 * <p>File format, one operation per line: {@code sequence PUT key value} or {@code sequence DELETE
 * key}, keys and values with printable ASCII as is except {@code \}, and every other byte (space
 * included) as {@code \xNN}.
 */
final class DiscardReport {
  private static final Logger LOG = LoggerFactory.getLogger(DiscardReport.class);
  static final String DIRECTORY = "discarded";
  static final int LOGGED = 20;

  private DiscardReport() {}

  /**
   * Records the discard of {@code from..to} (inclusive) of {@code db}'s log; returns the file
   * written, or null if none (nothing left in the log, or it could not be written — logged).
   */
  static Path log(KevoDB db, String replicaId, long from, long to) {
    if (from < 1 || to < from) {
      return null;
    }
    long count = to - from + 1;
    LOG.warn(
        "replica {}: discarding {} entries {}..{} that are not in the new primary's history"
            + " (written by a former primary that no other node got); the replica bootstraps from"
            + " its primary",
        replicaId,
        count,
        from,
        to);
    long first = db.wal().firstRetainedSequence();
    if (first > from) {
      LOG.warn(
          "replica {}: entries {}..{} are no longer in the local log (already in tables): their"
              + " contents are not recorded",
          replicaId,
          from,
          Math.min(to, first - 1));
      if (first > to) {
        return null;
      }
    }
    long start = Math.max(from, first);
    Path dir = db.directory().resolve(ReplicaIdentity.DIRECTORY).resolve(DIRECTORY);
    Path file = dir.resolve(System.currentTimeMillis() + "-" + from + "-" + to + ".txt");
    long written = 0;
    try {
      Files.createDirectories(dir);
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
          WalCursor c = db.wal().readFrom(start)) {
        outer:
        while (c.hasNext()) {
          WalRecord r = c.next();
          for (WalOperation op : r.operations()) {
            if (op.sequence() < start) {
              continue;
            }
            if (op.sequence() > to) {
              break outer;
            }
            String key = escape(op.key());
            if (written < LOGGED) {
              LOG.warn(
                  "replica {}: discarded {} {} key={}{}",
                  replicaId,
                  op.sequence(),
                  op.type(),
                  key,
                  op.type() == OpType.PUT ? " (" + op.value().length + " bytes)" : "");
            }
            w.write(Long.toString(op.sequence()));
            w.write(' ');
            w.write(op.type().name());
            w.write(' ');
            w.write(key);
            if (op.type() == OpType.PUT) {
              w.write(' ');
              w.write(escape(op.value()));
            }
            w.write('\n');
            written++;
          }
        }
      }
    } catch (IOException | KevoException | IllegalStateException e) {
      LOG.warn("replica {}: could not record the discarded entries in {}: {}", replicaId, file, e);
      return null;
    }
    LOG.warn(
        "replica {}: the {} discarded operations still in the local log are recorded in {}",
        replicaId,
        written,
        file);
    return file;
  }

  /** Printable ASCII as is (but {@code \}), anything else as {@code \xNN}. */
  static String escape(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length + 8);
    for (byte x : b) {
      int c = x & 0xff;
      if (c > 32 && c < 127 && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append("\\x")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return sb.toString();
  }
}

package io.kevo.cli.shell;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.KevoIterator;
import io.kevo.engine.KeyValue;
import io.kevo.engine.Options;
import io.kevo.engine.ScanOptions;
import io.kevo.engine.SyncMode;
import io.kevo.engine.TransactionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ShellBackend} over a {@link KevoDB} opened in this process. Not thread-safe. */
public final class EmbeddedBackend implements ShellBackend {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);

  private final KevoDB db;
  private boolean closed;

  private EmbeddedBackend(KevoDB db) {
    this.db = db;
  }

  /**
   * Opens (creating if needed) the database in {@code dir}.
   *
   * @throws KevoException as {@link KevoDB#open(Path, Options)}, e.g. {@link ErrorCode#LOCKED}
   */
  public static EmbeddedBackend open(Path dir, SyncMode syncMode) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KevoException(ErrorCode.IO_ERROR, "cannot create directory: " + e, e);
    }
    Options options = Options.builder().syncMode(syncMode).build();
    return new EmbeddedBackend(KevoDB.open(dir, options));
  }

  @Override
  public String describe() {
    return "embedded database at " + db.directory() + " (sync " + db.options().syncMode() + ")";
  }

  @Override
  public void put(byte[] key, byte[] value) {
    db.put(key, value);
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return db.get(key);
  }

  @Override
  public void delete(byte[] key) {
    db.delete(key);
  }

  @Override
  public void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink) {
    drain(db.scan(scan), sink);
  }

  static void drain(KevoIterator iterator, BiConsumer<byte[], byte[]> sink) {
    try (KevoIterator it = iterator) {
      while (it.hasNext()) {
        KeyValue kv = it.next();
        sink.accept(kv.key(), kv.value());
      }
    }
  }

  @Override
  public ShellTransaction begin(boolean readOnly) {
    return new EmbeddedTransaction(
        db.beginTransaction(readOnly ? TransactionOptions.READ_ONLY : TransactionOptions.DEFAULT));
  }

  @Override
  public Report stats() {
    return StatsReports.embedded(db.stats());
  }

  @Override
  public List<byte[]> keys(byte[] prefix, int limit) {
    List<byte[]> keys = new ArrayList<>();
    // The iterator is lazy: stopping early reads no more than the keys returned.
    try (KevoIterator it = db.scan(ScanOptions.builder().prefix(prefix).build())) {
      while (keys.size() < limit && it.hasNext()) {
        keys.add(it.next().key());
      }
    }
    return keys;
  }

  @Override
  public String closedNote() {
    // Readable once closed; nothing writes any more.
    return "database " + db.directory() + " closed cleanly, last sequence " + db.latestSequence();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      db.close();
      LOG.info("{}", closedNote());
    }
  }
}

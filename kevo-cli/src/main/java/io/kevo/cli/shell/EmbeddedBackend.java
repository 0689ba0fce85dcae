package io.kevo.cli.shell;

import io.kevo.engine.DbStats;
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
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** A {@link ShellBackend} over a {@link KevoDB} opened in this process. Not thread-safe. */
public final class EmbeddedBackend implements ShellBackend {
  private final KevoDB db;

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

  /**
   * Every {@link DbStats} component, in declaration order. Read reflectively so that counters the
   * engine adds later show up without a change here.
   */
  @Override
  public List<Stat> stats() {
    DbStats stats = db.stats();
    List<Stat> rows = new ArrayList<>();
    for (RecordComponent component : DbStats.class.getRecordComponents()) {
      try {
        Object value = component.getAccessor().invoke(stats);
        if (value instanceof List<?> list) {
          // The per-level list reads better as one row per level.
          for (Object item : list) {
            if (item instanceof DbStats.LevelStats l) {
              rows.add(
                  new Stat("level " + l.level(), l.files() + " files, " + l.bytes() + " bytes"));
            }
          }
        } else {
          rows.add(new Stat(component.getName(), String.valueOf(value)));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read DbStats." + component.getName(), e);
      }
    }
    rows.add(new Stat("sstableCount", String.valueOf(stats.sstableCount())));
    rows.add(new Stat("blockCacheHitRate", String.format("%.3f", stats.blockCacheHitRate())));
    return rows;
  }

  @Override
  public void close() {
    db.close();
  }
}

package io.kevo.bench.adapter;

import java.nio.file.Path;
import java.util.Locale;

/** The engines the driver can run, and how to open each in a fresh directory. */
public enum EngineKind {
  KEVO {
    @Override
    public EngineAdapter open(Path dir, EngineSettings settings) {
      return KevoAdapter.open(dir, settings);
    }

    @Override
    public TransactionalEngine openTransactional(Path dir, EngineSettings settings) {
      return KevoAdapter.open(dir, settings);
    }
  },
  ROCKSDB {
    @Override
    public EngineAdapter open(Path dir, EngineSettings settings) {
      return RocksDbAdapter.open(dir, settings);
    }

    @Override
    public TransactionalEngine openTransactional(Path dir, EngineSettings settings) {
      return RocksDbOptimisticAdapter.open(dir, settings);
    }
  };

  /** Opens (creating) a database of this engine in the empty directory {@code dir}. */
  public abstract EngineAdapter open(Path dir, EngineSettings settings);

  /**
   * Opens (creating) a database of this engine for transactions, with the same options as {@link
   * #open}: Kevo as is, RocksDB as an {@code OptimisticTransactionDB}.
   */
  public abstract TransactionalEngine openTransactional(Path dir, EngineSettings settings);

  /**
   * Opens Kevo for pessimistic transactions (keys locked until the end), with the options of {@link
   * #openTransactional}.
   *
   * @throws IllegalArgumentException for an engine other than Kevo
   */
  public TransactionalEngine openPessimistic(Path dir, EngineSettings settings) {
    if (this != KEVO) {
      throw new IllegalArgumentException("pessimistic transactions are measured on Kevo only");
    }
    return KevoAdapter.open(dir, settings, io.kevo.engine.TransactionOptions.PESSIMISTIC);
  }

  /** The lower-case name used on the command line and in results. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a command-line name ({@code kevo}, {@code rocksdb}), case-insensitively. */
  public static EngineKind fromId(String id) {
    for (EngineKind kind : values()) {
      if (kind.id().equalsIgnoreCase(id.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown engine '" + id + "' (known: kevo, rocksdb)");
  }
}

package io.kevo.bench.tx;

import io.kevo.bench.adapter.EngineKind;
import io.kevo.bench.adapter.EngineSettings;
import io.kevo.bench.adapter.TransactionalEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code tx} run measures: an engine and, for Kevo, the transaction mode. RocksDB is
 * always its {@code OptimisticTransactionDB}. The id names the run on the command line of the child
 * worker and in the report ({@code kevo}, {@code kevo-pessimistic}, {@code rocksdb}).
 */
enum TxSubject {
  /** Kevo's default, optimistic transactions: the side of the bar. */
  KEVO("kevo", EngineKind.KEVO),
  /** Kevo's pessimistic transactions (key locks): informational. */
  KEVO_PESSIMISTIC("kevo-pessimistic", EngineKind.KEVO),
  ROCKSDB("rocksdb", EngineKind.ROCKSDB);

  /** Which of Kevo's modes a run covers ({@code --mode}). */
  enum Mode {
    OPTIMISTIC,
    PESSIMISTIC,
    BOTH;

    static Mode parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--mode must be optimistic, pessimistic or both, got '" + name + "'", e);
      }
    }
  }

  private final String id;
  private final EngineKind engine;

  TxSubject(String id, EngineKind engine) {
    this.id = id;
    this.engine = engine;
  }

  String id() {
    return id;
  }

  EngineKind engine() {
    return engine;
  }

  /** Opens this subject's engine for transactions in {@code dir}. */
  TransactionalEngine open(Path dir, EngineSettings settings) {
    return this == KEVO_PESSIMISTIC
        ? engine.openPessimistic(dir, settings)
        : engine.openTransactional(dir, settings);
  }

  /** The runs for {@code engines} in {@code mode}: Kevo once or twice, RocksDB once. */
  static List<TxSubject> of(List<EngineKind> engines, Mode mode) {
    List<TxSubject> out = new ArrayList<>();
    for (EngineKind e : engines) {
      if (e != EngineKind.KEVO) {
        out.add(ROCKSDB);
        continue;
      }
      if (mode != Mode.PESSIMISTIC) {
        out.add(KEVO);
      }
      if (mode != Mode.OPTIMISTIC) {
        out.add(KEVO_PESSIMISTIC);
      }
    }
    return out;
  }

  static TxSubject fromId(String id) {
    for (TxSubject s : values()) {
      if (s.id.equalsIgnoreCase(id.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown tx subject '" + id + "' (known: kevo, kevo-pessimistic, rocksdb)");
  }
}

package io.kevo.bench.tx;

import static io.kevo.bench.report.Figures.fixed;

import io.kevo.bench.report.Bar;
import io.kevo.bench.report.BenchReport;
import io.kevo.bench.report.Figures;
import io.kevo.bench.report.Outcome;
import io.kevo.bench.report.Table;
import io.kevo.bench.workload.TxParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fills in the {@link BenchReport} of one {@code tx} run. Under {@code results.engines}, per run
 * ({@code kevo}: optimistic, {@code kevo-pessimistic}, {@code rocksdb}): {@code tx_per_sec}, {@code
 * conflict_rate}, {@code commit_p50_us}, {@code commit_p99_us}, {@code commit_p999_us}, {@code
 * peak_rss_mb}; beside it {@code results.kevo_over_rocksdb_tx_per_sec} (optimistic Kevo, the bar)
 * and {@code results.kevo_pessimistic_over_optimistic_tx_per_sec} (informational). Immutable.
 */
final class TxReport {
  /** The bar: Kevo commits at least as many transactions per second as RocksDB. */
  static final double BAR_MIN_RATIO = 1.0;

  /** Kevo's peak RSS over RocksDB's: at most this. */
  static final double BAR_MAX_RSS_RATIO = 1.5;

  private final TxParams params;
  private final Map<String, Object> runConfig;
  private final List<Outcome<TxRunResult>> outcomes;

  TxReport(TxParams params, Map<String, Object> runConfig, List<Outcome<TxRunResult>> outcomes) {
    this.params = params;
    this.runConfig = runConfig;
    this.outcomes = outcomes;
  }

  private TxRunResult result(TxSubject subject) {
    for (Outcome<TxRunResult> o : outcomes) {
      if (o.engine().equals(subject.id()) && o.succeeded()) {
        return o.result();
      }
    }
    return null;
  }

  /** Kevo's (optimistic) committed tx/s over RocksDB's, if both ran. */
  Double ratio() {
    return ratio(TxSubject.KEVO, TxSubject.ROCKSDB);
  }

  /** {@code a}'s committed tx/s over {@code b}'s, if both ran. */
  private Double ratio(TxSubject a, TxSubject b) {
    TxRunResult ra = result(a);
    TxRunResult rb = result(b);
    if (ra == null || rb == null || rb.txPerSec() <= 0) {
      return null;
    }
    return ra.txPerSec() / rb.txPerSec();
  }

  /** Kevo's (optimistic) peak RSS over RocksDB's, if both ran and measured one. */
  Double rssRatio() {
    TxRunResult k = result(TxSubject.KEVO);
    TxRunResult r = result(TxSubject.ROCKSDB);
    if (k == null || r == null || k.peakRssMb() < 0 || r.peakRssMb() <= 0) {
      return null;
    }
    return k.peakRssMb() / r.peakRssMb();
  }

  /** The report: a row per engine and the bars on the committed tx/s and peak RSS ratios. */
  BenchReport report(String command) {
    Map<String, Object> engines = new LinkedHashMap<>();
    for (Outcome<TxRunResult> o : outcomes) {
      engines.put(o.engine(), o.json(TxRunResult::toJson, "tx_per_sec_runs"));
    }
    return BenchReport.of("tx", command, config())
        .title(
            String.format(
                Locale.ROOT,
                "Transactions: %d threads, %d reads + %d writes per transaction over %d keys, %s",
                params.threads(),
                params.readsPerTx(),
                params.writesPerTx(),
                params.num(),
                params.txns() > 0
                    ? params.txns() + " transactions"
                    : String.format(Locale.ROOT, "%.0f s", params.durationSeconds())))
        .section("engines", table(), engines)
        .section("kevo_over_rocksdb_tx_per_sec", null, Figures.roundOrNull(ratio(), 3))
        .section(
            "kevo_pessimistic_over_optimistic_tx_per_sec",
            null,
            Figures.roundOrNull(ratio(TxSubject.KEVO_PESSIMISTIC, TxSubject.KEVO), 3))
        .bar(
            Bar.atLeast(
                "tx_per_sec_over_rocksdb",
                "Kevo committed tx/s over RocksDB OptimisticTransactionDB's",
                "x",
                BAR_MIN_RATIO,
                ratio()))
        .bar(
            Bar.atMost(
                "rss_over_rocksdb",
                "Kevo's (optimistic) peak RSS over RocksDB's, same -Xmx",
                "x",
                BAR_MAX_RSS_RATIO,
                rssRatio()))
        .note(
            "kevo-pessimistic (key locks held to the end; a lock timeout or deadlock counts as an"
                + " abort) is informational: the bar compares optimistic Kevo with RocksDB's"
                + " OptimisticTransactionDB")
        .build();
  }

  /** The console table, Markdown-compatible. */
  private String table() {
    Table t =
        new Table(
            "16<engine",
            "10>commits",
            "10>tx/s|committed",
            "9>conflicts|rate",
            "8>commit|p50 µs",
            "8>commit|p99 µs",
            "9>commit|p99.9 µs",
            "8>tx|p50 µs",
            "8>tx|p99 µs",
            "9>tx|p99.9 µs",
            "8>RSS MiB");
    for (Outcome<TxRunResult> o : outcomes) {
      if (!o.succeeded()) {
        t.free("FAILED: " + o.error(), o.engine());
        continue;
      }
      TxRunResult r = o.result();
      t.row(
          r.engine(),
          r.commits(),
          String.format(Locale.ROOT, "%.0f", r.txPerSec()),
          String.format(Locale.ROOT, "%.5f%%", 100 * r.conflictRate()),
          fixed(r.commitUs().p50()),
          fixed(r.commitUs().p99()),
          fixed(r.commitUs().p999()),
          fixed(r.txUs().p50()),
          fixed(r.txUs().p99()),
          fixed(r.txUs().p999()),
          fixed(r.peakRssMb()));
    }
    return t.toString();
  }

  /** The parameters and the definitions of the figures: the JSON's {@code config}. */
  private Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("num", params.num());
    config.put("threads", params.threads());
    config.put("duration_s", params.txns() > 0 ? null : params.durationSeconds());
    config.put("txns", params.txns() > 0 ? params.txns() : null);
    config.put("warmup_s", params.warmupSeconds());
    config.put("reads_per_tx", params.readsPerTx());
    config.put("writes_per_tx", params.writesPerTx());
    config.put("key_size", params.keySize());
    config.put("value_size", params.valueSize());
    config.put("seed", params.seed());
    config.put("block_cache_bytes", params.blockCacheBytes());
    config.put("bloom_bits_per_key", params.bloomBitsPerKey());
    config.putAll(runConfig);
    config.put(
        "isolation",
        "snapshot isolation, first committer wins on written keys: Kevo TransactionOptions.DEFAULT;"
            + " RocksDB OptimisticTransactionDB with set_snapshot=true and reads at that snapshot"
            + " (no getForUpdate); kevo-pessimistic: Kevo TransactionOptions.PESSIMISTIC, every key"
            + " read or written locked until commit, 5 s lock timeout");
    config.put(
        "timing",
        "tx_per_sec = commits / wall time of the timed phase (key and value generation included;"
            + " load, compaction, warm-up, open and close excluded); commit latency = the commit"
            + " call; tx latency = begin to close; both over every attempt, aborted ones included;"
            + " percentiles from a log-linear histogram (<= 0.8% bucket error)");
    return config;
  }
}

package io.kevo.bench.server;

import io.kevo.engine.Options;
import io.kevo.engine.SyncMode;

/**
 * The engine options of both sides: {@link SyncMode#NONE} (the WAL is written, never synced, as
 * {@code kevo server --sync none}), everything else Kevo's defaults (64 MiB memtable and block
 * cache, Snappy, 10-bit bloom filters).
 */
final class EngineSetup {
  static final Options OPTIONS = Options.builder().syncMode(SyncMode.NONE).build();

  /** For the JSON report. */
  static final String DESCRIPTION =
      "Kevo Options.builder().syncMode(SyncMode.NONE) with defaults otherwise (64 MiB memtable,"
          + " 64 MiB block cache, Snappy, 10 bloom bits/key); writes use WriteOptions.DEFAULT"
          + " (sync=false)";

  private EngineSetup() {}
}

package io.kevo.cli.shell;

import io.kevo.engine.ScanOptions;

/** One parsed shell command. Byte arrays are owned by the statement; nobody mutates them. */
public sealed interface Statement {
  /** {@code PUT key value}. */
  record Put(byte[] key, byte[] value) implements Statement {}

  /** {@code GET key}. */
  record Get(byte[] key) implements Statement {}

  /** {@code DELETE key}. */
  record Delete(byte[] key) implements Statement {}

  /**
   * {@code SCAN [prefix]} or {@code SCAN RANGE start end}: keys in {@code [start, end)} with the
   * prefix; {@code null} means unbounded.
   */
  record Scan(byte[] prefix, byte[] start, byte[] end) implements Statement {
    public ScanOptions toScanOptions() {
      return ScanOptions.builder().prefix(prefix).start(start).end(end).build();
    }
  }

  /** {@code BEGIN [READONLY]}. */
  record Begin(boolean readOnly) implements Statement {}

  /** {@code COMMIT}. */
  record Commit() implements Statement {}

  /** {@code ROLLBACK}. */
  record Rollback() implements Statement {}

  /**
   * {@code .ack [LEVEL]}: show ({@code level} null) or set the acknowledgement level of writes
   * ({@code async}, {@code replica:N}, {@code all}, or {@code default} for the server's).
   */
  record Ack(String level) implements Statement {}

  /** {@code .timing [on|off]}: show ({@code on} null) or set whether each command's time shows. */
  record Timing(Boolean on) implements Statement {}

  /** {@code .stats}. */
  record Stats() implements Statement {}

  /** {@code .help}. */
  record Help() implements Statement {}

  /** {@code .exit}, {@code exit} or {@code quit}. */
  record Exit() implements Statement {}
}

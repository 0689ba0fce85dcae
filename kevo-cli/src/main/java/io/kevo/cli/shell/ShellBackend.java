package io.kevo.cli.shell;

import io.kevo.engine.ScanOptions;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What the shell runs its commands against: an embedded database today, a remote server later.
 *
 * <p>Failures are unchecked; {@link io.kevo.engine.KevoException} messages are shown to the user as
 * {@code error: <message>}. Not required to be thread-safe: the shell uses one thread.
 */
public interface ShellBackend extends AutoCloseable {
  /**
   * One line for the interactive banner, e.g. {@code "embedded database at /data (sync BATCH)"}.
   */
  String describe();

  /** Stores {@code value} (possibly empty) under {@code key}. */
  void put(byte[] key, byte[] value);

  /** The value of {@code key}, or empty if absent. An empty array is a value. */
  Optional<byte[]> get(byte[] key);

  /** Deletes {@code key}; deleting an absent key is not an error. */
  void delete(byte[] key);

  /** Calls {@code sink} with each live pair in {@code scan}, in ascending key order. */
  void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink);

  /** Counters in display order. */
  List<Stat> stats();

  /** Releases the database or connection. Idempotent; throws nothing. */
  @Override
  void close();

  /** One named counter. */
  record Stat(String name, String value) {}
}

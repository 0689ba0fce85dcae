package io.kevo.cli.shell;

import io.kevo.engine.ScanOptions;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The data commands of the shell, run either directly against a {@link ShellBackend} or inside a
 * {@link ShellTransaction}. Failures are unchecked (engine or client exceptions).
 */
public interface KeyValueStore {
  /** Stores {@code value} (possibly empty) under {@code key}. */
  void put(byte[] key, byte[] value);

  /** The value of {@code key}, or empty if absent. An empty array is a value. */
  Optional<byte[]> get(byte[] key);

  /** Deletes {@code key}; deleting an absent key is not an error. */
  void delete(byte[] key);

  /** Calls {@code sink} with each live pair in {@code scan}, in ascending key order. */
  void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink);
}

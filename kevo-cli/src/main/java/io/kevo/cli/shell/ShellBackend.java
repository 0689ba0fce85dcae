package io.kevo.cli.shell;

import io.kevo.client.KevoClientException;
import io.kevo.engine.TransactionConflictException;
import java.util.List;

/**
 * What the shell runs its commands against: an embedded database ({@link EmbeddedBackend}) or a
 * server ({@link RemoteBackend}).
 *
 * <p>Failures are unchecked: {@link io.kevo.engine.KevoException} or {@link KevoClientException},
 * whose messages are shown to the user as {@code error: <message>}. Not required to be thread-safe:
 * the shell uses one thread.
 */
public interface ShellBackend extends KeyValueStore, AutoCloseable {
  /**
   * One line for the interactive banner, e.g. {@code "embedded database at /data (sync BATCH)"}.
   */
  String describe();

  /** Counters in display order. */
  List<Stat> stats();

  /**
   * Sets the acknowledgement level of the following writes and commits ({@code async}, {@code
   * replica:N}, {@code all}; null for the server's default) and returns it as shown to the user;
   * with {@code level} absent ({@code show}) only returns the current one.
   *
   * @throws UnsupportedOperationException where there are no replicas (an embedded database)
   * @throws IllegalArgumentException for a malformed level
   */
  default String ackLevel(boolean show, String level) {
    throw new UnsupportedOperationException(
        "acknowledgement levels need a server: use kevo shell --connect HOST:PORT");
  }

  /** Begins a transaction; a read-only one refuses writes. */
  ShellTransaction begin(boolean readOnly);

  /** Releases the database or connection. Idempotent; throws nothing. */
  @Override
  void close();

  /** Whether {@code failure} is a transaction lost to a concurrent writer, in either mode. */
  static boolean isConflict(Throwable failure) {
    return failure instanceof TransactionConflictException
        || (failure instanceof KevoClientException e && e.isConflict());
  }

  /** One named counter. */
  record Stat(String name, String value) {}
}

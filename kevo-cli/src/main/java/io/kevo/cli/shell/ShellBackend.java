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

  /** The counters, grouped and formatted for people. */
  Report stats();

  /**
   * Up to {@code limit} keys starting with {@code prefix}, in order, for completion. Reads the
   * latest state, outside any transaction.
   */
  List<byte[]> keys(byte[] prefix, int limit);

  /**
   * What to add to a write's {@code OK}, e.g. {@code (written on the primary 10.0.0.1:50051)} when
   * the node the shell talks to is a replica and the write went to its primary; empty otherwise.
   * Describes the last write or commit.
   */
  default String writeNote() {
    return "";
  }

  /**
   * One line saying the backend was closed cleanly, for an interactive session to print once it is
   * closed (e.g. {@code database /data closed cleanly, last sequence 12}).
   */
  default String closedNote() {
    return "";
  }

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
}

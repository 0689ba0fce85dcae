package io.kevo.cli.shell;

/**
 * A transaction opened by {@code BEGIN}: data commands see its snapshot plus its own writes until
 * {@code COMMIT} or {@code ROLLBACK}. Embedded: an engine {@link io.kevo.engine.Transaction};
 * remote: a {@link io.kevo.client.ClientTransaction}. Single-threaded.
 */
public interface ShellTransaction extends KeyValueStore, AutoCloseable {
  boolean readOnly();

  /**
   * Whether the transaction can still be used. False after commit or rollback, and after a failure
   * that ended it (a conflict, or a server that forgot it).
   */
  boolean isOpen();

  /**
   * Applies the writes atomically; afterwards the transaction is over whatever the outcome.
   *
   * @throws RuntimeException on failure; {@link ShellBackend#isConflict} tells a conflict apart
   */
  void commit();

  /** Discards the writes. */
  void rollback();

  /** Rolls back if still open. Idempotent; throws nothing. */
  @Override
  void close();
}

package io.kevo.engine.internal.wal;

/** A logical record that passed its checksum but does not parse. Internal to the WAL. */
public final class WalFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WalFormatException(String message) {
    super(message);
  }
}

package io.kevo.engine.internal.sstable;

/**
 * Malformed bytes found while decoding a structure. Internal only: the code that knows the file and
 * block offset converts it into a {@link io.kevo.engine.KevoException} with CORRUPTION.
 */
final class FormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FormatException(String message) {
    super(message);
  }
}

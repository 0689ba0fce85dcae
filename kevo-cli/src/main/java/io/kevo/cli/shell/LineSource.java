package io.kevo.cli.shell;

import java.io.IOException;

/** Where the shell's lines come from: a terminal or a stream. Single-threaded. */
public interface LineSource extends AutoCloseable {
  /**
   * The next line without its terminator, or {@code null} at end of input.
   *
   * @param prompt what to show a person typing (ignored by non-interactive sources)
   */
  String readLine(String prompt) throws IOException;

  @Override
  default void close() throws IOException {}
}

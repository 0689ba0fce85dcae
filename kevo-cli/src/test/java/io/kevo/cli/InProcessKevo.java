package io.kevo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Runs the {@code kevo} command line in-process, as a shell would with {@code stdin} piped in, and
 * captures what it printed. Stateless; each call runs on the caller's thread.
 */
final class InProcessKevo {
  private InProcessKevo() {}

  /** What one run returned and printed. */
  record Run(int status, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }

  /** Runs {@code kevo args...} with {@code stdin} as its standard input. */
  static Run kevo(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.execute(
            args,
            new ByteArrayInputStream(stdin.getBytes(UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    return new Run(status, out.toString(), err.toString());
  }
}

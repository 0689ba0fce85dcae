package io.kevo.cli.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Lines typed at the system terminal, with JLine line editing, completion (command words, and keys
 * after GET, DELETE and PUT: {@link KeyCompleter}) and a persistent history file. Ctrl-C discards
 * the current line; Ctrl-D ends the input.
 */
public final class JLineSource implements LineSource {
  private final Terminal terminal;
  private final LineReader reader;

  private JLineSource(Terminal terminal, LineReader reader) {
    this.terminal = terminal;
    this.reader = reader;
  }

  /** Opens the system terminal, keeping history in {@code historyFile}. */
  public static JLineSource open(Path historyFile, Completer completer) throws IOException {
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("kevo")
            .variable(LineReader.HISTORY_FILE, historyFile)
            .variable(LineReader.HISTORY_SIZE, 1000)
            // '!' and '\' are data here, not history designators.
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .completer(completer)
            .build();
    return new JLineSource(terminal, reader);
  }

  /** Where the shell should print, so output and prompt stay in order. */
  public PrintWriter writer() {
    return terminal.writer();
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      return "";
    } catch (EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      reader.getHistory().save();
    } finally {
      terminal.close();
    }
  }
}

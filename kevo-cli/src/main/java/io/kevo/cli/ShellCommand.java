package io.kevo.cli;

import io.kevo.cli.shell.EmbeddedBackend;
import io.kevo.cli.shell.JLineSource;
import io.kevo.cli.shell.Shell;
import io.kevo.cli.shell.ShellBackend;
import io.kevo.cli.shell.StreamLineSource;
import io.kevo.engine.KevoException;
import io.kevo.engine.SyncMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kevo shell}: opens a database and runs shell commands against it.
 *
 * <p>With a terminal it is interactive (JLine line editing, history in {@code ~/.kevo_history}, a
 * prompt, exit status 0). Otherwise it reads one command per line from stdin and prints only
 * results on stdout (errors go to stderr); the exit status is 1 if any command failed.
 */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run shell commands (PUT, GET, DELETE, SCAN, .stats, ...) against a database.",
      "Interactive on a terminal; otherwise reads one command per line from stdin."
    })
final class ShellCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ShellCommand.class);

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "./kevo-data",
      description = {"Database directory, created if missing.", "Default: ${DEFAULT-VALUE}"})
  private Path data;

  @Option(
      names = "--sync",
      paramLabel = "MODE",
      defaultValue = "batch",
      description = {"WAL sync mode: none, batch or immediate.", "Default: ${DEFAULT-VALUE}"})
  private SyncMode sync;

  @Spec private CommandSpec spec;

  private final InputStream in;
  private final boolean interactive;

  ShellCommand(InputStream in, boolean interactive) {
    this.in = in;
    this.interactive = interactive;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ShellBackend backend;
    try {
      backend = EmbeddedBackend.open(data, sync);
    } catch (KevoException e) {
      LOG.debug("cannot open {}", data, e);
      err.println(openFailure(e));
      err.flush();
      return ExitCodes.FATAL;
    }
    try (backend) {
      if (interactive) {
        return runInteractive(backend);
      }
      Shell shell = new Shell(backend, out, err);
      return shell.run(new StreamLineSource(in), false);
    }
  }

  private int runInteractive(ShellBackend backend) throws IOException {
    Path history = Path.of(System.getProperty("user.home"), ".kevo_history");
    try (JLineSource source = JLineSource.open(history)) {
      PrintWriter terminal = source.writer();
      terminal.println("Kevo shell, " + backend.describe() + ".");
      terminal.println("Type .help for commands, .exit or Ctrl-D to leave.");
      terminal.flush();
      return new Shell(backend, terminal, terminal).run(source, true);
    }
  }

  private String openFailure(KevoException e) {
    // The engine's message already says what holds the directory (e.g. the locking process).
    return "error: cannot open database at "
        + data.toAbsolutePath().normalize()
        + ": "
        + e.getMessage();
  }
}

package io.kevo.cli;

import io.kevo.cli.shell.EmbeddedBackend;
import io.kevo.cli.shell.JLineSource;
import io.kevo.cli.shell.KeyCompleter;
import io.kevo.cli.shell.RemoteBackend;
import io.kevo.cli.shell.Shell;
import io.kevo.cli.shell.ShellBackend;
import io.kevo.cli.shell.StreamLineSource;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoClientException;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kevo shell}: opens a database ({@code --data}) or connects to a server ({@code --connect})
 * and runs shell commands against it.
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
      "Run shell commands (PUT, GET, DELETE, SCAN, BEGIN, COMMIT, .stats, ...) against an"
          + " embedded database (--data) or a Kevo server (--connect).",
      "Interactive on a terminal; otherwise reads one command per line from stdin."
    })
final class ShellCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ShellCommand.class);
  private static final Path DEFAULT_DATA = Path.of("./kevo-data");

  // No picocli default, so that an explicit --data can be told apart and refused with --connect.
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Database directory, created if missing (embedded mode). Default: ./kevo-data")
  private Path data;

  @Option(
      names = "--connect",
      paramLabel = "HOST:PORT|zk://HOST:PORT[,...]/CLUSTER",
      description =
          "Talk to a Kevo server instead of opening a database (not with --data); or to a"
              + " cluster with automatic failover, found through its ZooKeeper ensemble.")
  private String connect;

  @Option(
      names = "--sync",
      paramLabel = "MODE",
      defaultValue = "batch",
      description =
          "WAL sync mode: none, batch or immediate. With --connect, immediate asks the server to"
              + " sync each write; other modes leave it to the server's setting."
              + " Default: ${DEFAULT-VALUE}")
  private SyncMode sync;

  @Mixin private ClientTlsFlags tls = new ClientTlsFlags();

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
    if (connect != null && data != null) {
      throw new ParameterException(
          spec.commandLine(), "--data and --connect exclude each other: pick one mode");
    }
    ShellBackend backend;
    if (connect != null) {
      try {
        ClientOptions options = tls.applyTo(ClientOptions.forEndpoint(connect));
        backend = RemoteBackend.connect(KevoClient.connect(options), sync == SyncMode.IMMEDIATE);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--connect: " + e.getMessage());
      } catch (KevoClientException e) {
        LOG.debug("cannot reach {}", connect, e);
        err.println("error: cannot reach a Kevo server at " + connect + ": " + e.getMessage());
        err.flush();
        return ExitCodes.FATAL;
      }
    } else {
      Path dir = data != null ? data : DEFAULT_DATA;
      try {
        backend = EmbeddedBackend.open(dir, sync);
      } catch (KevoException e) {
        LOG.debug("cannot open {}", dir, e);
        err.println(openFailure(dir, e));
        err.flush();
        return ExitCodes.FATAL;
      }
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
    try (JLineSource source = JLineSource.open(history, new KeyCompleter(backend::keys))) {
      PrintWriter terminal = source.writer();
      terminal.println("Kevo shell, " + backend.describe() + ".");
      terminal.println("Type .help for commands, .exit or Ctrl-D to leave.");
      terminal.flush();
      int status = new Shell(backend, terminal, terminal).run(source, true);
      // Closed here, before the terminal, so that the person sees it was clean (close is
      // idempotent: the caller's try-with-resources closes it again, doing nothing).
      backend.close();
      String note = backend.closedNote();
      if (!note.isEmpty()) {
        terminal.println(note + ".");
        terminal.flush();
      }
      return status;
    }
  }

  private static String openFailure(Path dir, KevoException e) {
    // The engine's message already says what holds the directory (e.g. the locking process).
    return "error: cannot open database at "
        + dir.toAbsolutePath().normalize()
        + ": "
        + e.getMessage();
  }
}

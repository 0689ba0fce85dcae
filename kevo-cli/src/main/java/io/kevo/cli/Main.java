package io.kevo.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code kevo} command: entry point of the runnable distribution. */
@Command(
    name = "kevo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kevo for the JVM: a pure-Java LSM key-value store.",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Exit status: 0 success; 1 a non-interactive shell had a failed command, or kevo backup"
          + " --verify found a damaged backup; 2 fatal (bad"
          + " options, database cannot be opened, server or coordinator cannot be reached, port"
          + " taken); 3 kevo server halted"
          + " because its JVM failed (out of memory).",
      "",
      "Run 'kevo COMMAND --help' for a command's options."
    })
public final class Main implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command (one of " + OneLineErrors.commands(spec.commandLine()) + ")");
  }

  public static void main(String[] args) {
    // Java 17 encodes System.out with the platform charset; keys and values are UTF-8 text.
    PrintWriter out =
        new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true);
    // System.console() is non-null only when stdin and stdout are both terminals: only then do
    // prompts, banners and line editing make sense.
    boolean interactive = System.console() != null;
    int status = execute(args, System.in, out, err, interactive);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the command line in-process and returns its exit status (see {@link ExitCodes}).
   *
   * @param in what a non-interactive shell reads its commands from
   * @param interactive whether the shell uses the system terminal (JLine) instead of {@code in}
   */
  public static int execute(
      String[] args, InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {
    CommandLine cli = commandLine(in, interactive);
    cli.setOut(out);
    cli.setErr(err);
    int status = cli.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** The whole command tree, configured: help, error reporting, failures in commands. */
  static CommandLine commandLine(InputStream in, boolean interactive) {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand(new ShellCommand(in, interactive));
    cli.addSubcommand(new ServerCommand());
    cli.addSubcommand(new CoordinatorCommand());
    cli.addSubcommand(new StatusCommand());
    cli.addSubcommand(new PromoteCommand());
    cli.addSubcommand(new RepointCommand());
    cli.addSubcommand(new SwitchoverCommand());
    cli.addSubcommand(new ClusterCommand());
    cli.addSubcommand(new BackupCommand());
    cli.addSubcommand(new RestoreCommand());
    cli.addSubcommand(new AuthCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    WrappedHelp.install(cli);
    cli.setParameterExceptionHandler(new OneLineErrors());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          LOG.debug("command failed", ex);
          cmd.getErr().println("error: " + ex);
          cmd.getErr().flush();
          return ExitCodes.FATAL;
        });
    return cli;
  }
}

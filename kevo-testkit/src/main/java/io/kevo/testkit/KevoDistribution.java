package io.kevo.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kevo} distribution as users run it: {@code java -jar kevo-cli.jar ...} with its {@code
 * lib/} directory beside the jar. Builds command lines for node processes ({@link NodeProcess}) and
 * runs one-shot commands ({@code kevo promote}, {@code kevo repoint}, {@code kevo status}...).
 * Immutable and thread-safe.
 */
public final class KevoDistribution implements NodeLauncher {
  /** The system property the build sets to the jar's path for integration tests. */
  public static final String JAR_PROPERTY = "kevo.cli.jar";

  /**
   * The collector options both {@code kevo} launchers (the repository's and the release archive's
   * {@code bin/kevo}) give every command, so that nodes started here collect garbage as users' do:
   * see the launchers for why. Not the launchers' {@code -XX:+ExitOnOutOfMemoryError}: tests see a
   * node's own handling of a JVM failure.
   */
  public static final List<String> COLLECTOR_OPTIONS =
      List.of("-XX:-ClassUnloadingWithConcurrentMark", "-XX:MetaspaceSize=64m");

  private final Path jar;
  private final Path java;

  public KevoDistribution(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "no kevo distribution at "
              + jar
              + " (build it with ./mvnw -pl kevo-cli -am package, or run ./kevo once)");
    }
    this.jar = jar.toAbsolutePath();
    this.java = Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * The distribution named by {@value #JAR_PROPERTY}, else {@code kevo-cli/target/kevo-cli.jar}
   * under the working directory or its parent (a module directory of the repository).
   */
  public static KevoDistribution locate() {
    String property = System.getProperty(JAR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return new KevoDistribution(Path.of(property));
    }
    Path relative = Path.of("kevo-cli", "target", "kevo-cli.jar");
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return new KevoDistribution(dir.resolve(relative));
      }
    }
    return new KevoDistribution(here.resolve(relative));
  }

  public Path jar() {
    return jar;
  }

  /**
   * {@code java}, the {@link #COLLECTOR_OPTIONS}, then {@code jvmOptions... -jar kevo-cli.jar
   * args...}.
   */
  public List<String> command(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(COLLECTOR_OPTIONS);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }

  /** {@code java jvmOptions... -jar kevo-cli.jar server serverArgs...}. */
  @Override
  public List<String> serverCommand(List<String> jvmOptions, List<String> serverArgs) {
    List<String> args = new ArrayList<>();
    args.add("server");
    args.addAll(serverArgs);
    return command(jvmOptions, args);
  }

  /**
   * Runs {@code kevo args...} in {@code dir} with an empty stdin, its stdout and stderr in files
   * there, and waits up to {@code timeout} for it to exit.
   *
   * @throws IllegalStateException if it does not exit in time (it is then killed)
   */
  public CommandRun run(Path dir, Duration timeout, String... args)
      throws IOException, InterruptedException {
    return run(dir, "", timeout, args);
  }

  /**
   * Runs {@code kevo args...} in {@code dir} with {@code input} on its stdin (as {@code kevo shell
   * < script} would get it), its stdout and stderr in files there, and waits up to {@code timeout}.
   *
   * @throws IllegalStateException if it does not exit in time (it is then killed)
   */
  public CommandRun run(Path dir, String input, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String name = args.length == 0 ? "kevo" : args[0];
    Path stdin = Files.createTempFile(dir, name, ".in");
    Files.writeString(stdin, input, UTF_8);
    Path out = Files.createTempFile(dir, name, ".out");
    Path err = Files.createTempFile(dir, name, ".err");
    Process process =
        new ProcessBuilder(command(List.of(), List.of(args)))
            .directory(dir.toFile())
            .redirectInput(stdin.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "kevo "
                + String.join(" ", args)
                + " did not exit within "
                + timeout.toMillis()
                + " ms; stderr:\n"
                + Files.readString(err, UTF_8));
      }
      return new CommandRun(
          process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(stdin);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** What a one-shot command printed, and its exit status. */
  public record CommandRun(int status, String out, String err) {}
}

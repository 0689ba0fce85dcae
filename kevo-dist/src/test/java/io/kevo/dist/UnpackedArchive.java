package io.kevo.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kevo.testkit.NodeLauncher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The release archive unpacked with {@code tar}, as a user unpacks it, and its {@code bin/kevo} run
 * with nothing of the build's environment: each run gets only the variables a test names (through
 * {@code env -i}), so that a launcher that leaned on Maven, the source tree or a variable of the
 * build would fail here. One-shot runs are bounded in time and killed past it. Immutable and
 * thread-safe.
 */
final class UnpackedArchive {
  private static final Duration ONE_SHOT_RUN = Duration.ofSeconds(60);

  private final Path home;

  private UnpackedArchive(Path home) {
    this.home = home;
  }

  /**
   * Unpacks {@code archive} (a {@code .tar.gz}) into {@code dir} with {@code tar -xzf}, which keeps
   * the file modes, and returns its single top directory.
   */
  static UnpackedArchive unpack(Path archive, Path dir) throws IOException, InterruptedException {
    Run tar =
        run(
            List.of("tar", "-xzf", archive.toString(), "-C", dir.toString()),
            dir,
            "",
            ONE_SHOT_RUN);
    if (tar.status() != 0) {
      throw new AssertionError("tar -xzf " + archive + " failed: " + tar.err());
    }
    try (var top = Files.list(dir)) {
      List<Path> entries = top.toList();
      if (entries.size() != 1 || !Files.isDirectory(entries.get(0))) {
        throw new AssertionError("expected one top directory in " + archive + ", got " + entries);
      }
      return new UnpackedArchive(entries.get(0));
    }
  }

  /** The archive's top directory ({@code kevo-VERSION}). */
  Path home() {
    return home;
  }

  Path launcher() {
    return home.resolve("bin").resolve("kevo");
  }

  /**
   * A directory holding only what {@code bin/kevo} may use besides Java, as symlinks: {@code bash}
   * (its interpreter, found by {@code env}) and {@code readlink}. A PATH of this and a JDK's {@code
   * bin} is a machine with a JDK and a base system, and nothing else.
   */
  static Path baseTools(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String tool : List.of("bash", "readlink")) {
      Files.createSymbolicLink(dir.resolve(tool), onPath(tool));
    }
    return dir;
  }

  private static Path onPath(String tool) {
    for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new AssertionError(tool + " not found on PATH");
  }

  /** {@code env -i NAME=VALUE... command args...}: the command with exactly {@code env}. */
  static List<String> withOnly(Map<String, String> env, Path command, List<String> args) {
    List<String> line = new ArrayList<>(List.of("/usr/bin/env", "-i"));
    env.forEach((k, v) -> line.add(k + "=" + v));
    line.add(command.toString());
    line.addAll(args);
    return line;
  }

  /**
   * Runs {@code command args...} ({@code command} is this archive's launcher or a symlink to it) in
   * {@code cwd} with exactly {@code env}, {@code input} on stdin, and waits (bounded) for it.
   */
  Run kevo(Path cwd, Map<String, String> env, Path command, String input, String... args)
      throws IOException, InterruptedException {
    return run(withOnly(env, command, List.of(args)), cwd, input, ONE_SHOT_RUN);
  }

  /**
   * What runs {@code bin/kevo server} for a {@link io.kevo.testkit.NodeProcess}: with exactly
   * {@code env}, and the node's JVM options in {@code KEVO_JAVA_OPTS}, as an operator passes them.
   */
  NodeLauncher serverLauncher(Map<String, String> env) {
    Path kevo = launcher();
    return (jvmOptions, serverArgs) -> {
      Map<String, String> withOptions = new LinkedHashMap<>(env);
      withOptions.put("KEVO_JAVA_OPTS", String.join(" ", jvmOptions));
      List<String> args = new ArrayList<>();
      args.add("server");
      args.addAll(serverArgs);
      return withOnly(withOptions, kevo, args);
    };
  }

  /** Runs {@code command} in {@code cwd}, output in files there, killed after {@code timeout}. */
  private static Run run(List<String> command, Path cwd, String input, Duration timeout)
      throws IOException, InterruptedException {
    Path stdin = Files.createTempFile(cwd, "run", ".in");
    Path out = Files.createTempFile(cwd, "run", ".out");
    Path err = Files.createTempFile(cwd, "run", ".err");
    Files.writeString(stdin, input, UTF_8);
    File cwdFile = cwd.toFile();
    Process process =
        new ProcessBuilder(command)
            .directory(cwdFile)
            .redirectInput(stdin.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            String.join(" ", command)
                + " did not exit within "
                + timeout.toSeconds()
                + " s; stderr:\n"
                + Files.readString(err, UTF_8));
      }
      return new Run(
          process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(stdin);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** What a one-shot run printed, and its exit status. */
  record Run(int status, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }
}

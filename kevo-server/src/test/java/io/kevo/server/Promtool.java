package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's {@code promtool} (Debian package {@code prometheus}; {@code .ci/run} installs
 * it). A missing promtool fails the test: these checks are the point of the tests that use them.
 */
final class Promtool {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /** {@code promtool check metrics} on {@code exposition}; fails with its output if it objects. */
  static void checkMetrics(String exposition) {
    run(exposition, "check", "metrics");
  }

  /** {@code promtool check rules FILE}; fails with its output if it objects. */
  static void checkRules(Path file) {
    run(null, "check", "rules", file.toString());
  }

  private static void run(String stdin, String... args) {
    assertThat(Files.isExecutable(PROMTOOL))
        .as("%s (Debian package prometheus, installed by .ci/run)", PROMTOOL)
        .isTrue();
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(args));
    Process p = null;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      assertThat(p.exitValue())
          .as("promtool %s said:%n%s", String.join(" ", args), output)
          .isZero();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }
}

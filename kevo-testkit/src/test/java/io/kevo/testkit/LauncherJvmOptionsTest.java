package io.kevo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The nodes tests and benchmarks start collect garbage with the options users' nodes get from the
 * launchers, and this JVM accepts them.
 */
class LauncherJvmOptionsTest {
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

  @Test
  void bothLaunchersPutTheOptionsFirstOnTheirJavaCommand() throws Exception {
    String expected =
        "exec \"$JAVA\" -XX:+ExitOnOutOfMemoryError "
            + String.join(" ", KevoDistribution.COLLECTOR_OPTIONS);
    for (Path launcher :
        List.of(REPOSITORY.resolve("kevo"), REPOSITORY.resolve("kevo-dist/src/bin/kevo"))) {
      String script = Files.readString(launcher, StandardCharsets.UTF_8);
      assertThat(script).as(launcher.toString()).contains(expected + " \\\n  \"${heap[@]}\"");
    }
  }

  @Test
  void theRunningJavaAcceptsThem() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(KevoDistribution.COLLECTOR_OPTIONS);
    command.add("-version");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}

package io.kevo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data far larger than the heap: a child JVM with {@code -Xmx256m} writes 2 GiB of incompressible
 * values, reads a sample back, and must neither run out of memory nor let the table count grow
 * without bound.
 */
class LargerThanHeapTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void twoGigabytesWithA256MegabyteHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                BigWriterMain.class.getName(),
                dir.toString(),
                System.getProperty("kevo.big.gigabytes", "2")));
    pb.redirectError(
        ProcessBuilder.Redirect.appendTo(
            new File(System.getProperty("java.io.tmpdir"), "kevo-child-jvm.log")));
    Process p = pb.start();
    try {
      String last = null;
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          last = line;
        }
      }
      assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as("child exit status (see kevo-child-jvm.log)").isZero();
      assertThat(last).startsWith("OK ");
      int tables = Integer.parseInt(last.replaceAll(".*tables=(\\d+).*", "$1"));
      assertThat(tables).as("tables at any time").isLessThan(120);
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }
}

package io.kevo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's logging with and without SLF4J: a program whose class path has no slf4j-api (what a
 * project that adds only kevo-client gets) runs without any SLF4J warning, and the client's
 * warnings still reach java.util.logging.
 */
class ClientLogTest {
  @TempDir Path dir;

  @Test
  void formatsPlaceholdersTheSlf4jWay() {
    assertThat(ClientLog.format("no placeholders")).isEqualTo("no placeholders");
    assertThat(ClientLog.format("{} of {}", 1, "two")).isEqualTo("1 of two");
    assertThat(ClientLog.format("{} and {}", "one")).isEqualTo("one and {}");
    IllegalStateException e = new IllegalStateException("boom");
    assertThat(ClientLog.format("failed: {}", "x", e)).isEqualTo("failed: x");
    assertThat(ClientLog.cause("x", e)).isSameAs(e);
    assertThat(ClientLog.cause("x")).isNull();
    assertThat(ClientLog.cause()).isNull();
  }

  @Test
  void withoutSlf4jOnlyWarningsReachTheSystemLogger() {
    String name = "io.kevo.client.ClientLogTest.jdk";
    Logger jul = Logger.getLogger(name);
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.setLevel(Level.ALL);
    jul.setUseParentHandlers(false);
    jul.addHandler(handler);
    try {
      ClientLog log = ClientLog.jdk(name);
      IllegalStateException e = new IllegalStateException("boom");
      log.trace("t {}", 1);
      log.debug("d {}", 2);
      log.info("i {}", 3);
      log.warn("{} named a malformed primary address '{}'", "n1", "p:x", e);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
      assertThat(records.get(0).getMessage())
          .isEqualTo("n1 named a malformed primary address 'p:x'");
      assertThat(records.get(0).getThrown()).isSameAs(e);
    } finally {
      jul.removeHandler(handler);
    }
  }

  @Test
  void withSlf4jEveryLevelIsHandedOn() {
    // slf4j-api is on this module's test class path (through kevo-server and logback).
    assertThat(ClientLog.present("org.slf4j.LoggerFactory")).isTrue();
    assertThat(ClientLog.present("org.example.Absent")).isFalse();
    ClientLog log = ClientLog.of(ClientLogTest.class);
    assertThat(log.getClass().getSimpleName()).isEqualTo("Slf4j");
    log.trace("trace {}", 1);
    log.debug("debug {}", 2);
    log.info("info {}", 3);
    log.warn("warn {}", 4);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aProgramWithoutSlf4jPrintsNoSlf4jWarning() throws Exception {
    try (ServerFixture fx = new ServerFixture(dir.resolve("db"))) {
      // The class path keeps Curator and ZooKeeper (kevo-client depends on them): unused, they
      // must not make SLF4J speak.
      assertThat(runWithoutSlf4j(fx.server.address())).isEqualTo("world true");
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aZooKeeperEndpointWithoutSlf4jIsAClearErrorNotACrash() throws Exception {
    // Fails before any connection is tried: nothing listens at port 1.
    assertThat(runWithoutSlf4j("zk://127.0.0.1:1/c1"))
        .isEqualTo("FAILED_PRECONDITION " + ZkDiscovery.NEEDS_SLF4J);
  }

  /** Runs {@link PlainProgram} with {@code arg} on this class path minus SLF4J; its output. */
  private String runWithoutSlf4j(String arg) throws Exception {
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.contains("slf4j") && !e.contains("logback"))
            .collect(Collectors.joining(File.pathSeparator));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    Process p =
        new ProcessBuilder(java, "-cp", classPath, PlainProgram.class.getName(), arg)
            .redirectError(stderr.toFile())
            .start();
    try {
      String out = read(p.getInputStream());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(stderr);
      assertThat(p.exitValue()).as("exit status; stderr: %s", err).isZero();
      assertThat(err).doesNotContain("SLF4J");
      return out.strip();
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  /**
   * The child: a put and a get through {@link KevoClient}, printing the value and whether SLF4J was
   * absent; or, when connecting fails, the error's code and message.
   */
  static final class PlainProgram {
    public static void main(String[] args) {
      KevoClient connected;
      try {
        connected = KevoClient.connect(args[0]);
      } catch (KevoClientException e) {
        System.out.println(e.code() + " " + e.getMessage());
        return;
      }
      try (KevoClient client = connected) {
        byte[] key = "hello".getBytes(StandardCharsets.UTF_8);
        client.put(key, "world".getBytes(StandardCharsets.UTF_8));
        String value = new String(client.get(key).orElseThrow(), StandardCharsets.UTF_8);
        System.out.println(value + " " + !ClientLog.present("org.slf4j.LoggerFactory"));
      }
    }
  }
}

package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.Options;
import io.kevo.replication.PrimaryOptions;
import io.kevo.server.ServerOptions;
import io.kevo.wire.AckLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/kevo.properties}, the commented sample configuration, cannot lie: it documents every
 * key {@code kevo server} reads ({@link ServerConfigFile#KEYS}), each after a comment, and every
 * value it sets is the server's default, read from the option classes that hold the defaults.
 * {@link SampleConfigIT} starts a server with it.
 */
class SampleConfigTest {
  static final Path SAMPLE = Path.of("..", "docs", "kevo.properties");

  /** A key left commented out because it has no default: {@code # key=example}. */
  private static final Pattern COMMENTED_KEY = Pattern.compile("^#\\s*([a-z][a-z0-9-]*)=.*$");

  /** The default of each key, as the server's code holds it, and how to read the file's value. */
  private static Map<String, Check> defaults() {
    Options engine = Options.DEFAULT;
    ServerOptions server = ServerOptions.DEFAULT;
    PrimaryOptions primary = PrimaryOptions.DEFAULT;
    Map<String, Check> m = new LinkedHashMap<>();
    // ServerCommand's own fallbacks for these two (no option class holds them).
    m.put("data", new Check("./kevo-data", v -> v));
    m.put("listen", new Check(server.host() + ":" + server.port(), v -> v));
    m.put("role", new Check(server.role(), v -> v.toUpperCase(Locale.ROOT)));
    m.put("sync", new Check(engine.syncMode(), v -> v.toUpperCase(Locale.ROOT)));
    m.put("memtable-mb", new Check(engine.memtableSize(), SampleConfigTest::mib));
    m.put("wal-segment-mb", new Check(engine.segmentSize(), SampleConfigTest::mib));
    m.put("cache-mb", new Check(engine.blockCacheSize(), SampleConfigTest::mib));
    m.put("compression", new Check(engine.compression(), v -> v.toUpperCase(Locale.ROOT)));
    m.put("replication-ack", new Check(server.replicationAck(), AckLevel::parse));
    m.put(
        "replication-ack-timeout",
        new Check(server.replicationAckTimeout(), ServerCommand::duration));
    m.put("min-replicas-to-write", new Check(server.minReplicasToWrite(), Integer::valueOf));
    m.put("read-wait-timeout", new Check(server.readWaitTimeout(), ServerCommand::duration));
    m.put("transactions", new Check(server.transactionMode(), v -> v.toUpperCase(Locale.ROOT)));
    m.put("repl-retention-mb", new Check(primary.retentionBytes(), SampleConfigTest::mib));
    m.put("max-bootstraps", new Check(primary.maxConcurrentBootstraps(), Integer::valueOf));
    m.put("insecure", new Check(server.insecure(), Boolean::valueOf));
    return m;
  }

  /** A default, and the parse that turns the file's text into something comparable with it. */
  private record Check(Object expected, Function<String, Object> parse) {}

  private static Object mib(String v) {
    return Long.parseLong(v) << 20;
  }

  @Test
  void documentsExactlyTheKeysTheServerReads() throws IOException {
    Set<String> accepted = new TreeSet<>(ServerConfigFile.KEYS);
    Set<String> documented = new TreeSet<>(active().stringPropertyNames());
    documented.addAll(commented());
    assertThat(documented).isEqualTo(accepted);
    assertThat(defaults().keySet())
        .as("the keys this test knows the defaults of")
        .containsAll(active().stringPropertyNames());
  }

  @Test
  void everyValueIsTheServersDefault() throws IOException {
    Properties file = active();
    Map<String, Check> defaults = defaults();
    for (String key : file.stringPropertyNames()) {
      Check check = defaults.get(key);
      assertThat(check).as("a default for %s", key).isNotNull();
      Object parsed = check.parse().apply(file.getProperty(key).trim());
      Object expected = check.expected();
      if (expected instanceof Enum<?> e) {
        expected = e.name();
      }
      assertThat(parsed).as("%s in %s", key, SAMPLE).isEqualTo(expected);
    }
  }

  @Test
  void everyKeyComesAfterAComment() throws IOException {
    List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean key = !line.isBlank() && !line.startsWith("#");
      boolean commentedKey = COMMENTED_KEY.matcher(line).matches();
      if (key || commentedKey) {
        assertThat(i).as("line %d", i + 1).isPositive();
        String before = lines.get(i - 1);
        assertThat(before)
            .as("the line before '%s' explains it", line)
            .startsWith("#")
            .matches(b -> !b.substring(1).isBlank(), "a comment with words");
      }
    }
  }

  /** The keys the file sets, read as the server reads its --config file (unknown keys refused). */
  private static Properties active() {
    return ServerConfigFile.load(SAMPLE);
  }

  private static Set<String> commented() throws IOException {
    return Files.readAllLines(SAMPLE, StandardCharsets.UTF_8).stream()
        .map(COMMENTED_KEY::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}

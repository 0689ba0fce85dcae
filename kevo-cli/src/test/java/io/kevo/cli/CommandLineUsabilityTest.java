package io.kevo.cli;

import static io.kevo.cli.InProcessKevo.kevo;
import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.cli.InProcessKevo.Run;
import io.kevo.engine.Options;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a new user meets first: one-line errors with the valid values and a hint, config files whose
 * typos are refused with a suggestion, and help text that wraps between words and shows the real
 * defaults.
 */
class CommandLineUsabilityTest {
  @TempDir Path dir;

  @Test
  void aBadSyncModeIsOneLineWithTheValidValuesAndAHint() {
    Run run = kevo("", "server", "--sync", "bogus", "--data", dir.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList())
        .containsExactly(
            "error: invalid value for --sync: 'bogus' (valid: none, batch, immediate)."
                + " Run 'kevo server --help' for usage.");
  }

  @Test
  void aBadEnumTypedByPicocliIsOneLineToo() {
    Run run = kevo("", "shell", "--sync", "sometimes", "--data", dir.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "error: invalid value for --sync: 'sometimes' (valid: none, batch, immediate)."
                + " Run 'kevo shell --help' for usage.");
  }

  @Test
  void badAckLevelsDurationsAndNumbersSayWhatIsExpected() {
    assertThat(kevo("", "server", "--replication-ack", "most").err())
        .startsWith("error: invalid value for --replication-ack: 'most' (valid: async, replica:N,")
        .hasLineCount(1);
    assertThat(kevo("", "server", "--read-wait-timeout", "5q").err())
        .contains("'5q' (expected a duration like 500ms, 2s, 1m or PT2S)")
        .hasLineCount(1);
    assertThat(kevo("", "server", "--max-bootstraps", "two").err())
        .contains("'two' (expected a whole number)")
        .hasLineCount(1);
    assertThat(kevo("", "server", "--compression", "gzip").err())
        .contains("(valid: none, snappy, lz4, zstd)")
        .hasLineCount(1);
  }

  @Test
  void unknownOptionsAndCommandsSuggestTheNearestOne() {
    Run option = kevo("", "server", "--memtable", "4");
    assertThat(option.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(option.err())
        .startsWith("error: unknown option '--memtable'; did you mean --memtable-mb?")
        .endsWith("Run 'kevo server --help' for usage." + System.lineSeparator())
        .hasLineCount(1);

    Run command = kevo("", "shel");
    assertThat(command.err())
        .isEqualTo(
            "error: unknown command 'shel' (commands: shell, server, coordinator, status, promote,"
                + " repoint, switchover, cluster, backup, restore, auth);"
                + " did you mean shell? Run 'kevo --help' for usage."
                + System.lineSeparator());

    Run none = kevo("");
    assertThat(none.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(none.err()).startsWith("error: missing command (one of shell, server,");
  }

  @Test
  void aMisspelledConfigKeyIsRefusedWithTheClosestValidKey() throws Exception {
    Path config = dir.resolve("kevo.properties");
    Files.writeString(config, "listen=127.0.0.1:0\ncompresion=lz4\n");

    Run run = kevo("", "server", "--config", config.toString(), "--data", dir.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FATAL);
    assertThat(run.err())
        .isEqualTo(
            "error: unknown key 'compresion' in config file "
                + config
                + "; did you mean 'compression'? Run 'kevo server --help' for usage."
                + System.lineSeparator());
    // Nothing was opened.
    assertThat(dir.resolve("CURRENT")).doesNotExist();
  }

  @Test
  void aKeyNothingLikeAValidOneListsThemAll() throws Exception {
    Path config = dir.resolve("kevo.properties");
    Files.writeString(config, "threads=4\n");

    assertThatLoadFails(config)
        .contains("unknown key 'threads'")
        .contains("valid keys: data, listen, role,")
        .contains("replication-ack,");
  }

  @Test
  void everyConfigKeyIsALongOptionOfTheServerAndEveryOptionIsAKey() {
    List<String> options =
        new CommandLine(new ServerCommand())
            .getCommandSpec().options().stream()
                .filter(o -> !o.hidden()) // --print-heap: the launcher's question, not a setting
                .map(OptionSpec::longestName)
                .map(n -> n.substring(2))
                .filter(n -> !List.of("help", "version", "config", "port-file").contains(n))
                .sorted()
                .toList();

    assertThat(ServerConfigFile.KEYS.stream().sorted().toList()).isEqualTo(options);
  }

  @Test
  void configFileValuesAreUsedAndValidatedLikeFlags() throws Exception {
    Path config = dir.resolve("kevo.properties");
    Files.writeString(config, "replication-ack=sometimes\n");

    Run run = kevo("", "server", "--config", config.toString(), "--data", dir.toString());

    assertThat(run.err()).contains("invalid value for --replication-ack: 'sometimes'");
  }

  @Test
  void closestKeyToleratesTyposButNotUnrelatedWords() {
    assertThat(ServerConfigFile.closest("memtable_mb")).isEqualTo("memtable-mb");
    assertThat(ServerConfigFile.closest("replication-ack-timout"))
        .isEqualTo("replication-ack-timeout");
    assertThat(ServerConfigFile.closest("Sync")).isEqualTo("sync");
    assertThat(ServerConfigFile.closest("threads")).isNull();
  }

  @Test
  void topLevelHelpShowsEachCommandsFirstSentenceWhole() {
    Run run = kevo("", "--help");

    String flat = run.out().replaceAll("\\s+", " ");
    assertThat(flat)
        .contains(
            "shell Run shell commands (PUT, GET, DELETE, SCAN, BEGIN, COMMIT, .stats, ...) against"
                + " an embedded database (--data) or a Kevo server (--connect).");
  }

  @Test
  void serverHelpShowsTheEnginesRealDefaultsAndTheConfigKeys() {
    String flat = kevo("", "server", "--help").out().replaceAll("\\s+", " ");

    assertThat(flat)
        .doesNotContain("the engine's")
        .contains("Memtable size in MiB. Default: " + (Options.DEFAULT.memtableSize() >> 20))
        .contains("Block cache size in MiB. Default: " + (Options.DEFAULT.blockCacheSize() >> 20))
        .contains("Default: " + Options.DEFAULT.compression().name().toLowerCase(Locale.ROOT) + " ")
        .contains("Default: " + Options.DEFAULT.syncMode().name().toLowerCase(Locale.ROOT) + " ")
        .contains("Config file (--config) keys: " + String.join(", ", ServerConfigFile.KEYS));
  }

  @ParameterizedTest
  @ValueSource(ints = {55, 64, 80, 100})
  void helpWrapsBetweenWordsOnlyAndWithinTheWidth(int width) {
    CommandLine cli = Main.commandLine(new ByteArrayInputStream(new byte[0]), false);
    for (CommandLine command : commands(cli)) {
      String narrow = usage(command, width);
      String wide = usage(command, 1000);

      // Wrapping only moves whole words to other lines: the same words, in the same order.
      assertThat(words(narrow)).as(command.getCommandName()).isEqualTo(words(wide));
      for (String line : narrow.lines().toList()) {
        if (line.strip().contains(" ")) {
          assertThat(line.length()).as("%s: %s", command.getCommandName(), line).isLessThan(width);
        }
      }
    }
  }

  private static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    all.add(root);
    all.addAll(root.getSubcommands().values());
    return all;
  }

  private static String usage(CommandLine command, int width) {
    command.getCommandSpec().usageMessage().autoWidth(false).width(width);
    return command.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertThatLoadFails(Path config) {
    try {
      ServerConfigFile.load(config);
    } catch (IllegalArgumentException e) {
      return assertThat(e.getMessage());
    }
    throw new AssertionError("expected " + config + " to be refused");
  }
}

package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kevo server --transactions} and the {@code transactions} config key take a mode name. */
class ServerTransactionsOptionTest {
  @TempDir Path dir;

  @Test
  void anUnknownModeIsAUsageErrorNamingTheValidOnes() {
    InProcessKevo.Run run =
        InProcessKevo.kevo(
            "", "server", "--data", dir.resolve("db").toString(), "--transactions", "blocking");
    assertThat(run.status()).isNotZero();
    assertThat(run.err())
        .isEqualToIgnoringNewLines(
            "error: invalid value for --transactions: 'blocking' (valid: optimistic,"
                + " pessimistic). Run 'kevo server --help' for usage.");
    assertThat(dir.resolve("db")).doesNotExist();
  }

  @Test
  void theConfigKeyIsReadToo() throws Exception {
    Path config = dir.resolve("kevo.properties");
    Files.writeString(config, "transactions=serial\n");
    InProcessKevo.Run run =
        InProcessKevo.kevo(
            "", "server", "--data", dir.resolve("db").toString(), "--config", config.toString());
    assertThat(run.status()).isNotZero();
    assertThat(run.err())
        .contains("invalid value for --transactions: 'serial' (valid: optimistic, pessimistic)");
  }
}

package io.kevo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kevo server --print-heap}: the launcher's question, answered from the same flags and
 * config file the node would run with, without opening anything.
 */
class ServerHeapTest {
  @TempDir Path dir;

  private InProcessKevo.Run printHeap(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "server";
    all[1] = "--print-heap";
    all[2] = "--data";
    all[3] = dir.resolve("db").toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return InProcessKevo.kevo("", all);
  }

  @Test
  void theDefaultsNeedTheirMemtablesCacheEngineAndServer() {
    InProcessKevo.Run run = printHeap();
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    // 2 x 64 MiB memtables (active + one waiting for flush) + 64 MiB cache + 64 + 128
    assertThat(run.out()).isEqualTo("384m\n");
    assertThat(dir.resolve("db")).as("nothing is opened").doesNotExist();
  }

  @Test
  void flagsAndTheConfigFileSizeIt() throws Exception {
    assertThat(printHeap("--memtable-mb", "16", "--cache-mb", "512").out()).isEqualTo("736m\n");
    Path config = dir.resolve("kevo.properties");
    Files.writeString(config, "memtable-mb=128\ncache-mb=256\n");
    assertThat(printHeap("--config", config.toString()).out()).isEqualTo("704m\n");
    assertThat(printHeap("--config", config.toString(), "--cache-mb", "8").out())
        .as("a flag overrides the file")
        .isEqualTo("456m\n");
  }

  @Test
  void badOptionsAreAnErrorAndNoFigure() {
    InProcessKevo.Run run = printHeap("--memtable-mb", "lots");
    assertThat(run.status()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--memtable-mb");
  }
}

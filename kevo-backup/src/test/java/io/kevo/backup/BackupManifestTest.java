package io.kevo.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.replication.EpochHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup manifest's format: a round trip, and what a reader refuses. */
class BackupManifestTest {
  @TempDir Path dir;

  private static BackupManifest sample() {
    return new BackupManifest(
        "20261206T120000000Z",
        1765000000000L,
        "127.0.0.1:7000",
        "snap-1-abc",
        4711,
        4800,
        EpochHistory.of(
            List.of(
                new EpochHistory.Term(1, "t-1", 1, "node-a"),
                new EpochHistory.Term(2, "t-2", 900, "node-b"))),
        List.of(
            new BackupManifest.StoredFile(
                "00000000000000000007.sst", 1234, 0x8badf00d, "shared/x_1234_8badf00d.sst"),
            new BackupManifest.StoredFile(
                "MANIFEST-000009", 99, 0x12, "backups/20261206T120000000Z/MANIFEST-000009")),
        1333);
  }

  @Test
  void aManifestReadsBackAsWritten() throws Exception {
    Path f = dir.resolve("BACKUP");
    sample().write(f);
    assertThat(BackupManifest.read(f)).isEqualTo(sample());
    assertThat(Files.readString(f)).startsWith("kevo-backup 1\n");
  }

  @Test
  void aChangedCharacterOrAnotherMagicIsRefused() throws Exception {
    Path f = dir.resolve("BACKUP");
    sample().write(f);
    String text = Files.readString(f);
    Files.writeString(f, text.replace("sequence 4711", "sequence 4712"), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BackupManifest.read(f)).hasMessageContaining("checksum mismatch");
    Files.writeString(f, "something else\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BackupManifest.read(f)).isInstanceOf(BackupException.class);
    Files.delete(f);
    assertThatThrownBy(() -> BackupManifest.read(f)).hasMessageContaining("is missing");
  }
}

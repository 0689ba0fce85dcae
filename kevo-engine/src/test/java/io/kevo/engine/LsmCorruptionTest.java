package io.kevo.engine;

import static io.kevo.engine.TestData.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged SSTables and manifests give clear errors naming the file, never a wrong value. */
class LsmCorruptionTest {
  @TempDir Path dir;

  private static final Options OPTS =
      LsmTest.SMALL.toBuilder().compression(Compression.NONE).blockCacheSize(0).build();

  private void fill() {
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      for (int i = 0; i < 400; i++) {
        db.put(b(String.format("k%05d", i)), b("value-" + i));
      }
      db.flush();
    }
  }

  private List<Path> files(String suffix) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static void flip(Path file, long offset) throws Exception {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x5A));
      one.rewind();
      ch.write(one, offset);
    }
  }

  @Test
  void aFlippedByteInADataBlockIsReportedNamingTheTable() throws Exception {
    fill();
    Path sst = files(".sst").get(0);
    flip(sst, 20);
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      int errors = 0;
      for (int i = 0; i < 400; i++) {
        byte[] k = b(String.format("k%05d", i));
        try {
          db.get(k).ifPresent(v -> assertThat(TestData.s(v)).startsWith("value-"));
        } catch (KevoException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION);
          assertThat(e.getMessage()).contains(sst.getFileName().toString());
          errors++;
        }
      }
      assertThat(errors).isPositive();
      int i = 0;
      try (KevoIterator it = db.scan(ScanOptions.ALL)) {
        while (it.hasNext()) {
          it.next();
          i++;
        }
      } catch (KevoException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION);
      }
      assertThat(i).isLessThan(400);
    }
  }

  @Test
  void aDamagedFooterStopsReadsOfThatTableWithAClearError() throws Exception {
    fill();
    Path sst = files(".sst").get(0);
    flip(sst, Files.size(sst) - 3);
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      assertThatThrownBy(() -> db.get(b("k00001")))
          .isInstanceOf(KevoException.class)
          .hasMessageContaining(sst.getFileName().toString())
          .extracting(e -> ((KevoException) e).code())
          .isEqualTo(ErrorCode.CORRUPTION);
    }
  }

  @Test
  void aFlippedByteInTheManifestStopsTheOpenNamingIt() throws Exception {
    fill();
    try (KevoDB db = KevoDB.open(dir, OPTS)) {
      db.put(b("more"), b("x"));
      db.flush();
    }
    Path manifest =
        files("").stream()
            .filter(p -> p.getFileName().toString().startsWith("MANIFEST-"))
            .findFirst()
            .orElseThrow();
    flip(manifest, 12);
    assertThatThrownBy(() -> KevoDB.open(dir, OPTS))
        .isInstanceOf(KevoException.class)
        .hasMessageContaining(manifest.getFileName().toString())
        .extracting(e -> ((KevoException) e).code())
        .isEqualTo(ErrorCode.CORRUPTION);
  }

  @Test
  void aTableListedInTheManifestButMissingStopsTheOpen() throws Exception {
    fill();
    Path sst = files(".sst").get(0);
    Files.delete(sst);
    assertThatThrownBy(() -> KevoDB.open(dir, OPTS))
        .hasMessageContaining(sst.getFileName().toString())
        .hasMessageContaining("missing");
  }
}

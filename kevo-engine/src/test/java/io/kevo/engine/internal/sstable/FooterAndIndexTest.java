package io.kevo.engine.internal.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.Compression;
import io.kevo.engine.internal.iter.InternalOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FooterAndIndexTest {
  @Test
  void footerRoundTrips() {
    Footer f =
        new Footer(
            new BlockHandle(9000, 300),
            new BlockHandle(7000, 1200),
            new BlockHandle(8205, 790),
            TableFormat.FORMAT_VERSION);
    byte[] b = f.encode();
    assertThat(b).hasSize(64);
    assertThat(Footer.decode(b, 9305 + 64)).isEqualTo(f);
  }

  @Test
  void footerWithoutBloomRoundTrips() {
    Footer f = new Footer(new BlockHandle(500, 30), BlockHandle.NONE, new BlockHandle(400, 95), 1);
    Footer back = Footer.decode(f.encode(), 600);
    assertThat(back.hasBloom()).isFalse();
    assertThat(back).isEqualTo(f);
  }

  @Test
  void footerRejectsEveryFlippedByte() {
    Footer f = new Footer(new BlockHandle(500, 30), BlockHandle.NONE, new BlockHandle(400, 95), 1);
    byte[] good = f.encode();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      assertThatThrownBy(() -> Footer.decode(bad, 600)).isInstanceOf(FormatException.class);
    }
  }

  @Test
  void footerRejectsHandlesOutsideTheFile() {
    Footer f = new Footer(new BlockHandle(500, 30), BlockHandle.NONE, new BlockHandle(400, 95), 1);
    assertThatThrownBy(() -> Footer.decode(f.encode(), 560))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("outside the file");
  }

  @Test
  void indexRoundTripsAndFindsBlocks() {
    BlockBuilder b = new BlockBuilder(16, 4096);
    ByteSink v = new ByteSink(16);
    List<byte[]> lastKeys = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < 100; i++) {
      byte[] uk = "key%05d".formatted(i * 10).getBytes();
      lastKeys.add(uk);
      byte[] ikey = java.util.Arrays.copyOf(uk, uk.length + 8);
      Coding.putFixed64(ikey, uk.length, TableFormat.packTrailer(5, false));
      v.reset();
      v.writeVarint(offset);
      v.writeVarint(100 + i);
      b.add(ikey, ikey.length, v.array(), v.size());
      offset += 100 + i + TableFormat.BLOCK_TRAILER_SIZE;
    }
    ByteSink s = b.finish();
    Block block = Block.parse(s.toByteArray(), s.size(), Path.of("x.sst"), 0);
    TableIndex index = TableIndex.decode(block, offset);
    assertThat(index.blockCount()).isEqualTo(100);
    assertThat(index.handle(3)).isEqualTo(new BlockHandle(3 * 100 + 3 + 3 * 5, 103));
    assertThat(index.find("key00000".getBytes(), InternalOrder.MAX_SEQUENCE)).isZero();
    assertThat(index.find("key00005".getBytes(), 9)).isEqualTo(1);
    assertThat(index.find("key00010".getBytes(), 5)).isEqualTo(1);
    // Same user key, older sequence than the block's last entry: the next block.
    assertThat(index.find("key00010".getBytes(), 4)).isEqualTo(2);
    assertThat(index.find("zzz".getBytes(), 1)).isEqualTo(100);
    long wrongSize = offset + 1;
    assertThatThrownBy(() -> TableIndex.decode(block, wrongSize))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void propertiesRoundTrip() {
    TableProperties p =
        new TableProperties(
            1,
            10,
            3,
            "a".getBytes(),
            9,
            "zz".getBytes(),
            4,
            2,
            77,
            30,
            900,
            4000,
            2,
            Compression.ZSTD,
            0);
    TableProperties back = TableProperties.decode(p.encode(), 0);
    assertThat(back).isEqualTo(p);
    byte[] truncated = java.util.Arrays.copyOf(p.encode(), p.encode().length - 1);
    assertThatThrownBy(() -> TableProperties.decode(truncated, 0))
        .isInstanceOf(FormatException.class);
  }
}

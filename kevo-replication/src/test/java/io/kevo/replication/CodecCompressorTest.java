package io.kevo.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.proto.replication.CompressionCodec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecCompressorTest {
  private static byte[] sample() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append("user:").append(i).append(":name=value-").append(i % 17).append(';');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripsEveryCodecAndShrinksRepetitiveData() {
    try (CodecCompressor c = new CodecCompressor()) {
      byte[] data = sample();
      for (CompressionCodec codec :
          new CompressionCodec[] {
            CompressionCodec.NONE, CompressionCodec.ZSTD, CompressionCodec.SNAPPY
          }) {
        byte[] packed = c.compress(data, codec);
        if (codec != CompressionCodec.NONE) {
          assertThat(packed.length).isLessThan(data.length / 2);
        }
        assertThat(c.decompress(packed, codec)).isEqualTo(data);
      }
    }
  }

  @Test
  void rejectsGarbageAndOversizedFrames() {
    byte[] garbage = new byte[64];
    new Random(7).nextBytes(garbage);
    try (CodecCompressor c = new CodecCompressor(1024)) {
      for (CompressionCodec codec :
          new CompressionCodec[] {CompressionCodec.ZSTD, CompressionCodec.SNAPPY}) {
        assertThatThrownBy(() -> c.decompress(garbage, codec))
            .isInstanceOfSatisfying(
                ReplicationException.class,
                e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.MALFORMED));
        byte[] big = c.compress(new byte[4096], codec);
        assertThatThrownBy(() -> c.decompress(big, codec)).hasMessageContaining("limit of 1024");
      }
    }
  }
}

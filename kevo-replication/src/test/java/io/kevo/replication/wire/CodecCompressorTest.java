package io.kevo.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.proto.replication.CompressionCodec;
import io.kevo.replication.ReplicationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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

  @Test
  void aFrameDamagedAfterItsHeaderIsRefusedAndTheNextOneStillDecompresses() {
    try (CodecCompressor c = new CodecCompressor()) {
      byte[] data = sample();
      byte[] packed = c.compress(data, CompressionCodec.ZSTD);
      byte[] damaged = packed.clone();
      for (int i = packed.length / 2; i < packed.length; i++) {
        damaged[i] ^= (byte) 0x5A;
      }
      assertThatThrownBy(() -> c.decompress(damaged, CompressionCodec.ZSTD))
          .isInstanceOfSatisfying(
              ReplicationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.MALFORMED));
      assertThat(c.decompress(packed, CompressionCodec.ZSTD)).isEqualTo(data);
    }
  }

  @Test
  void pooledContextsServeConcurrentCallersAndCloseFreesThem() throws Exception {
    CodecCompressor c = new CodecCompressor();
    byte[] data = sample();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      int seed = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  Random r = new Random(seed);
                  for (int i = 0; i < 300; i++) {
                    byte[] d = Arrays.copyOf(data, 1 + r.nextInt(data.length));
                    byte[] packed = c.compress(d, CompressionCodec.ZSTD);
                    assertThat(c.decompress(packed, CompressionCodec.ZSTD)).isEqualTo(d);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(30_000);
    }
    assertThat(failures).isEmpty();
    c.close();
    // Still usable after close (a late caller makes a context and frees it on return).
    assertThat(c.decompress(c.compress(data, CompressionCodec.ZSTD), CompressionCodec.ZSTD))
        .isEqualTo(data);
  }
}

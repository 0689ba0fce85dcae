package io.kevo.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void keysParseBackAndValuesRepeatTheKey() {
    byte[] key = Keys.key(7, 123_456);

    assertThat(new String(key, StandardCharsets.US_ASCII)).isEqualTo("fo/07/000000123456");
    assertThat(Keys.parse(key)).isEqualTo(new Keys.Parsed(7, 123_456));
    assertThat(Keys.value(key, 40)).hasSize(40).startsWith(key);
    assertThat(Keys.parse("other".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(Keys.parse("fo/xx/000000000001".getBytes(StandardCharsets.US_ASCII))).isNull();
    assertThat(Keys.parse("fo/01-000000000001".getBytes(StandardCharsets.US_ASCII))).isNull();
  }

  @Test
  void readBackCountsAcknowledgedKeysNotFound() {
    AckLog w0 = new AckLog(0);
    AckLog w1 = new AckLog(1);
    for (int n = 0; n < 5; n++) {
      w0.acked(n, n, 1);
      w1.acked(n, n, 1);
    }
    BitSet found0 = new BitSet();
    found0.set(0, 5);
    found0.set(9); // a put that failed yet was stored: not a loss, not counted
    BitSet found1 = new BitSet();
    found1.set(0, 5);
    found1.clear(3);

    ReadBack.Result r = ReadBack.compare(List.of(w0, w1), new BitSet[] {found0, found1}, 10);

    assertThat(r.acknowledged()).isEqualTo(10);
    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.lostSample()).containsExactly("fo/01/000000000003");
    assertThat(r.scanned()).isEqualTo(10);
  }
}

package io.kevo.replication.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.engine.OpType;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import io.kevo.replication.ReplicationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encodesThePayloadLayoutOfTheProtocol() {
    byte[] put = OperationPayload.encode(new WalOperation(OpType.PUT, 0x0102, b("k"), b("vv")));
    assertThat(put)
        .containsExactly(1, 2, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'k', 2, 0, 0, 0, 'v', 'v');
    byte[] del = OperationPayload.encode(new WalOperation(OpType.DELETE, 7, b("k"), null));
    assertThat(del).containsExactly(2, 7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'k');
    assertThat(OperationPayload.size(new WalOperation(OpType.PUT, 1, b("k"), b("vv"))))
        .isEqualTo(put.length);
  }

  @Test
  void decodesWhatItEncodesIncludingEmptyValues() {
    for (WalOperation op :
        new WalOperation[] {
          new WalOperation(OpType.PUT, 42, b("key"), b("value")),
          new WalOperation(OpType.PUT, 43, b("key"), new byte[0]),
          new WalOperation(OpType.DELETE, Long.MAX_VALUE, b("gone"), null)
        }) {
      WalOperation back = EntryCodec.decode(OperationPayload.encode(op));
      assertThat(back.type()).isEqualTo(op.type());
      assertThat(back.sequence()).isEqualTo(op.sequence());
      assertThat(back.key()).isEqualTo(op.key());
      assertThat(back.value()).isEqualTo(op.value());
    }
  }

  @Test
  void rejectsMalformedPayloadsWithAReason() {
    byte[] good = OperationPayload.encode(new WalOperation(OpType.PUT, 1, b("key"), b("value")));
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> EntryCodec.decode(truncated))
          .isInstanceOfSatisfying(
              ReplicationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.MALFORMED));
    }
    byte[] badType = good.clone();
    badType[0] = 9;
    assertThatThrownBy(() -> EntryCodec.decode(badType)).hasMessageContaining("unknown operation");
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> EntryCodec.decode(trailing)).hasMessageContaining("trailing");
    byte[] hugeKey = good.clone();
    hugeKey[9] = (byte) 0xff;
    hugeKey[12] = (byte) 0x7f;
    assertThatThrownBy(() -> EntryCodec.decode(hugeKey)).hasMessageContaining("key length");
  }

  @Test
  void checksumIsCrc32Ieee() {
    // The standard check value of CRC-32 (IEEE 802.3).
    assertThat(Integer.toUnsignedLong(EntryCodec.crc32(b("123456789")))).isEqualTo(0xCBF43926L);
  }
}

package io.kevo.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteTextTest {
  private static String display(String s) {
    return ByteText.display(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void plainTextIsShownBare() {
    assertThat(display("hello")).isEqualTo("hello");
    assertThat(display("clé-日本")).isEqualTo("clé-日本");
  }

  @Test
  void emptyValueIsShownAsEmptyQuotes() {
    assertThat(ByteText.display(new byte[0])).isEqualTo("\"\"");
  }

  @Test
  void spacesQuotesAndBackslashesAreQuoted() {
    assertThat(display("hello world")).isEqualTo("\"hello world\"");
    assertThat(display("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(display("a\\b")).isEqualTo("\"a\\\\b\"");
  }

  @Test
  void nonPrintableBytesAreHexEscaped() {
    assertThat(ByteText.display(new byte[] {'a', 0, 0x7f, 'b'})).isEqualTo("\"a\\x00\\x7fb\"");
    assertThat(ByteText.display(new byte[] {'x', '\n', '\t'})).isEqualTo("\"x\\n\\t\"");
    // 0xff and a lone continuation byte are not UTF-8.
    assertThat(ByteText.display(new byte[] {(byte) 0xff, (byte) 0x80})).isEqualTo("\"\\xff\\x80\"");
    // A truncated 3-byte sequence at the end.
    assertThat(ByteText.display(new byte[] {'k', (byte) 0xe6, (byte) 0x97}))
        .isEqualTo("\"k\\xe6\\x97\"");
    // U+200B ZERO WIDTH SPACE is invisible: shown as its UTF-8 bytes.
    assertThat(display("a\u200Bb")).isEqualTo("\"a\\xe2\\x80\\x8bb\"");
  }

  @Test
  void displayedTokensReadBackToTheSameBytes() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(12)];
      for (int j = 0; j < bytes.length; j++) {
        // Mix ASCII text with arbitrary bytes so both paths are exercised.
        bytes[j] =
            random.nextBoolean() ? (byte) (' ' + random.nextInt(95)) : (byte) random.nextInt();
      }
      String shown = ByteText.display(bytes);
      List<Token> tokens = Tokenizer.tokenize(shown);
      assertThat(tokens).as("display %s", shown).hasSize(1);
      assertThat(tokens.get(0).bytes()).as("display %s", shown).isEqualTo(bytes);
    }
  }
}

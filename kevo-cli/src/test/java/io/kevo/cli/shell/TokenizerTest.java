package io.kevo.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  private static List<String> texts(String line) throws UsageException {
    return Tokenizer.tokenize(line).stream().map(Token::text).toList();
  }

  @Test
  void splitsBareWordsOnSpacesAndTabs() throws Exception {
    assertThat(texts("  PUT\tkey   value  ")).containsExactly("PUT", "key", "value");
    assertThat(texts("   ")).isEmpty();
  }

  @Test
  void quotedWordKeepsSpacesAndIsMarkedQuoted() throws Exception {
    List<Token> tokens = Tokenizer.tokenize("PUT k \"hello  world\"");
    assertThat(tokens).extracting(Token::text).containsExactly("PUT", "k", "hello  world");
    assertThat(tokens).extracting(Token::quoted).containsExactly(false, false, true);
  }

  @Test
  void emptyQuotesAreAnEmptyToken() throws Exception {
    List<Token> tokens = Tokenizer.tokenize("PUT k \"\"");
    assertThat(tokens).hasSize(3);
    assertThat(tokens.get(2).bytes()).isEmpty();
    assertThat(tokens.get(2).quoted()).isTrue();
  }

  @Test
  void adjacentQuotedAndBarePartsFormOneWord() throws Exception {
    assertThat(texts("ab\"c d\"e f")).containsExactly("abc de", "f");
  }

  @Test
  void appliesEscapesInsideAndOutsideQuotes() throws Exception {
    assertThat(texts("\"a\\\"b\" c\\\\d \"x\\ny\\tz\\r\" sp\\ ace"))
        .containsExactly("a\"b", "c\\d", "x\ny\tz\r", "sp ace");
  }

  @Test
  void hexEscapeWritesOneRawByte() throws Exception {
    Token token = Tokenizer.tokenize("\"\\x00\\xFFa\\0\"").get(0);
    assertThat(token.bytes()).containsExactly(0x00, 0xff, 'a', 0x00);
  }

  @Test
  void encodesTextAsUtf8() throws Exception {
    Token token = Tokenizer.tokenize("clé🙂").get(0);
    assertThat(token.bytes()).isEqualTo("clé🙂".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsUnterminatedQuote() {
    assertThatThrownBy(() -> Tokenizer.tokenize("PUT k \"oops"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unterminated quote");
  }

  @Test
  void rejectsBadEscapes() {
    assertThatThrownBy(() -> Tokenizer.tokenize("PUT k v\\"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("backslash at end of line");
    assertThatThrownBy(() -> Tokenizer.tokenize("PUT k \\x4"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("two hex digits");
    assertThatThrownBy(() -> Tokenizer.tokenize("PUT k \\xZZ"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("two hex digits");
    assertThatThrownBy(() -> Tokenizer.tokenize("PUT k \\q"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown escape \\q");
  }
}

package io.kevo.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void escapesTheFiveMarkupCharacters() {
    assertThat(Text.esc("<a href=\"x\">&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    assertThat(Text.esc("plain")).isEqualTo("plain");
  }

  @Test
  void showsControlCharactersAndLoneSurrogatesAsEscapesAndKeepsPairs() {
    assertThat(Text.visible("a\u0000b\nc\td\u007f\ufffe"))
        .isEqualTo("a\\u0000b\\nc\\td\\u007f\\ufffe");
    assertThat(Text.visible("x\ud800y\udc00")).isEqualTo("x\\ud800y\\udc00");
    assertThat(Text.visible("\ud83d\ude00 \u00e9")).isEqualTo("\ud83d\ude00 \u00e9");
    assertThat(Text.visible(null)).isEqualTo("null");
  }

  @Test
  void clipsWithoutSplittingASurrogatePair() {
    assertThat(Text.clip("abcdef", 10)).isEqualTo("abcdef");
    assertThat(Text.clip("abcdef", 3)).isEqualTo("abc\u2026(+3 chars)");
    assertThat(Text.clip("ab\ud83d\ude00", 3)).isEqualTo("ab\u2026(+2 chars)");
  }

  @Test
  void writesCoordinatesWithAtMostOneDecimal() {
    assertThat(List.of(Text.px(12), Text.px(12.34), Text.px(-0.46), Text.px(-3.26), Text.px(0.04)))
        .containsExactly("12", "12.3", "-0.5", "-3.3", "0");
  }
}

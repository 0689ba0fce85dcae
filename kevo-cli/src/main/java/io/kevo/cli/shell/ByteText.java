package io.kevo.cli.shell;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Shows byte strings as shell tokens that {@link Tokenizer} reads back to the same bytes.
 *
 * <p>A key or value is printed bare when it is non-empty printable UTF-8 without spaces, quotes or
 * backslashes. Otherwise it is double-quoted: {@code ""} for the empty value, {@code \" \\ \n \t
 * \r} for those characters, {@code \xNN} for every other control character, for invisible code
 * points and for each byte that is not valid UTF-8.
 */
public final class ByteText {
  private ByteText() {}

  /** {@code bytes} as a token: bare if that round-trips, quoted and escaped otherwise. */
  public static String display(byte[] bytes) {
    StringBuilder escaped = new StringBuilder(bytes.length + 2);
    boolean needsQuotes = bytes.length == 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length * 2));
    while (in.hasRemaining()) {
      CoderResult result = decoder.decode(in, out, true);
      out.flip();
      needsQuotes |= appendChars(out, escaped);
      out.clear();
      if (result.isError()) {
        // Each byte of an invalid sequence is shown on its own.
        for (int i = 0; i < result.length(); i++) {
          hex(in.get() & 0xff, escaped);
        }
        needsQuotes = true;
      } else if (result.isUnderflow()) {
        break;
      }
    }
    return needsQuotes ? "\"" + escaped + "\"" : escaped.toString();
  }

  /** Appends {@code chars} escaped; returns whether anything in them forces quoting. */
  private static boolean appendChars(CharBuffer chars, StringBuilder to) {
    boolean needsQuotes = false;
    String s = chars.toString();
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> to.append("\\\"");
        case '\\' -> to.append("\\\\");
        case '\n' -> to.append("\\n");
        case '\t' -> to.append("\\t");
        case '\r' -> to.append("\\r");
        case ' ' -> to.append(' ');
        default -> {
          if (isPrintable(cp)) {
            to.appendCodePoint(cp);
            continue;
          }
          for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
            hex(b & 0xff, to);
          }
        }
      }
      needsQuotes = true;
    }
    return needsQuotes;
  }

  private static boolean isPrintable(int cp) {
    if (Character.isISOControl(cp) || !Character.isDefined(cp)) {
      return false;
    }
    int type = Character.getType(cp);
    return type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR;
  }

  private static void hex(int b, StringBuilder to) {
    to.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
  }
}

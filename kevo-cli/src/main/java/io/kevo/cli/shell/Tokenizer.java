package io.kevo.cli.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into {@link Token}s.
 *
 * <p>Words are separated by spaces or tabs. A double-quoted part may contain spaces and may be
 * empty ({@code ""} is an empty token); quoted and bare parts written together form one word, as in
 * a POSIX shell. Backslash escapes work inside and outside quotes: {@code \\}, {@code \"}, {@code
 * \n}, {@code \t}, {@code \r}, {@code \0}, {@code \xNN} (one raw byte, two hex digits) and a
 * backslash before a space. Text is encoded as UTF-8.
 */
public final class Tokenizer {
  private Tokenizer() {}

  /** The tokens of {@code line}; none for a blank line. */
  public static List<Token> tokenize(String line) throws UsageException {
    List<Token> tokens = new ArrayList<>();
    ByteArrayOutputStream word = new ByteArrayOutputStream();
    boolean inWord = false;
    boolean quoted = false;
    boolean inQuotes = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (!inQuotes && (c == ' ' || c == '\t')) {
        if (inWord) {
          tokens.add(new Token(word.toByteArray(), quoted));
          word.reset();
          inWord = false;
          quoted = false;
        }
        i++;
      } else if (c == '"') {
        inQuotes = !inQuotes;
        inWord = true;
        quoted = true;
        i++;
      } else if (c == '\\') {
        i = escape(line, i, word);
        inWord = true;
      } else {
        int codePoint = line.codePointAt(i);
        word.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        inWord = true;
        i += Character.charCount(codePoint);
      }
    }
    if (inQuotes) {
      throw new UsageException("unterminated quote: add the closing \"");
    }
    if (inWord) {
      tokens.add(new Token(word.toByteArray(), quoted));
    }
    return tokens;
  }

  /** Appends the escape starting at the backslash {@code line[at]}; returns the index after it. */
  private static int escape(String line, int at, ByteArrayOutputStream word) throws UsageException {
    if (at + 1 >= line.length()) {
      throw new UsageException("backslash at end of line: write \\\\ for a backslash");
    }
    char e = line.charAt(at + 1);
    switch (e) {
      case '\\', '"', ' ' -> word.write(e);
      case 'n' -> word.write('\n');
      case 't' -> word.write('\t');
      case 'r' -> word.write('\r');
      case '0' -> word.write(0);
      case 'x' -> {
        int hi = at + 2 < line.length() ? Character.digit(line.charAt(at + 2), 16) : -1;
        int lo = at + 3 < line.length() ? Character.digit(line.charAt(at + 3), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new UsageException("bad escape: \\x needs two hex digits, as in \\x0a");
        }
        word.write(hi << 4 | lo);
        return at + 4;
      }
      default ->
          throw new UsageException(
              "unknown escape \\" + e + ": use \\\\ \\\" \\n \\t \\r \\0 or \\xNN");
    }
    return at + 2;
  }
}

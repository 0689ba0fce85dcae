package io.kevo.cli.shell;

import java.nio.charset.StandardCharsets;

/**
 * One word of a shell line.
 *
 * @param bytes the word with quotes removed and escapes applied
 * @param quoted whether any part of it was in double quotes (a quoted {@code "RANGE"} is data, not
 *     a keyword)
 */
public record Token(byte[] bytes, boolean quoted) {
  /** The word decoded as UTF-8, for matching keywords. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Whether this is the bare keyword {@code word}, ignoring case. */
  public boolean isKeyword(String word) {
    return !quoted && text().equalsIgnoreCase(word);
  }
}

package io.kevo.cli;

import io.kevo.cli.shell.ByteText;
import io.kevo.cli.shell.Token;
import io.kevo.cli.shell.Tokenizer;
import io.kevo.cli.shell.UsageException;
import io.kevo.coordination.ShardRange;
import java.util.HexFormat;
import java.util.List;

/**
 * A shard's key range as {@code kevo cluster} prints it: {@code [START, END)} with each bound
 * written as {@code kevo shell} writes a key ({@link ByteText}), so that it can be typed back, and
 * {@code -} for an open end, as in {@link ShardRange#describe()}: e.g. {@code [-, m)}, {@code [m,
 * "\xaa\xaa")}, {@code ["\xaa\xaa", -)}. Stateless and thread-safe.
 */
final class ShardText {
  private ShardText() {}

  /** The range of {@code shard}. */
  static String range(ShardRange shard) {
    byte[] start = shard.start();
    byte[] end = shard.end();
    return "["
        + (start.length == 0 ? "-" : key(start))
        + ", "
        + (end == null ? "-" : key(end))
        + ")";
  }

  /**
   * A key typed as the shell reads one (UTF-8 text, {@code \xNN} for a byte, double quotes around a
   * space or a comma), for a split point.
   *
   * @param what what the key is, for messages ("split point")
   * @throws IllegalArgumentException saying what is wrong with it (empty, two keys, bad escape)
   */
  static byte[] parseKey(String text, String what) {
    List<Token> tokens;
    try {
      tokens = Tokenizer.tokenize(text);
    } catch (UsageException e) {
      throw new IllegalArgumentException(what + " " + text + ": " + e.getMessage(), e);
    }
    if (tokens.size() > 1) {
      throw new IllegalArgumentException(
          what + " " + text + " is one key: put it in double quotes, as in kevo shell");
    }
    byte[] key = tokens.isEmpty() ? new byte[0] : tokens.get(0).bytes();
    if (key.length == 0) {
      throw new IllegalArgumentException("a " + what + " cannot be the empty key");
    }
    return key;
  }

  /** A bound's bytes in hex ({@code ""} for the empty key), for scripts. */
  static String hex(byte[] bound) {
    return HexFormat.of().formatHex(bound);
  }

  /** A key as the shell writes it, quoted if it is {@code -} so that it reads as no open end. */
  private static String key(byte[] key) {
    String text = ByteText.display(key);
    return text.equals("-") ? "\"-\"" : text;
  }
}

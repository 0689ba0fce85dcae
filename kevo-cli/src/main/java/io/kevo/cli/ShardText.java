package io.kevo.cli;

import io.kevo.cli.shell.ByteText;
import io.kevo.coordination.ShardRange;
import java.util.HexFormat;

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

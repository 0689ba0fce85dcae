package io.kevo.engine.internal.iter;

import java.util.Random;

/** Random keys over a tiny alphabet that exercises unsigned order, prefixes and 0xFF carries. */
final class Gen {
  private static final byte[] ALPHABET = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};

  private Gen() {}

  static byte[] key(Random rnd, int maxLength, int alphabet) {
    byte[] k = new byte[rnd.nextInt(maxLength + 1)];
    for (int i = 0; i < k.length; i++) {
      k[i] = ALPHABET[rnd.nextInt(Math.min(alphabet, ALPHABET.length))];
    }
    return k;
  }
}

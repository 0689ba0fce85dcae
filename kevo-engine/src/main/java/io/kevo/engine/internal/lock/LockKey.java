package io.kevo.engine.internal.lock;

import java.util.Arrays;

/** A key as a hash-map key: its own copy of the bytes, compared by content. Immutable. */
final class LockKey {
  private final byte[] bytes;
  private final int hash;

  LockKey(byte[] key) {
    this.bytes = key.clone();
    this.hash = Arrays.hashCode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The key for messages: printable ASCII as is, other bytes as {@code \xNN}, quoted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }
}

package io.kevo.engine.internal.lock;

import io.kevo.engine.internal.util.KeyText;
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

  /** The key for messages ({@link KeyText#quoted}). */
  @Override
  public String toString() {
    return KeyText.quoted(bytes);
  }
}

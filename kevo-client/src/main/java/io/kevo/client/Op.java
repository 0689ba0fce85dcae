package io.kevo.client;

import java.util.Objects;

/**
 * One write of a {@link KevoClient#batch batch}: a put or a delete. Immutable; the arrays are
 * copied in.
 */
public final class Op {
  /** What the operation does. */
  public enum Kind {
    PUT,
    DELETE
  }

  private final Kind kind;
  private final byte[] key;
  private final byte[] value;

  private Op(Kind kind, byte[] key, byte[] value) {
    this.kind = kind;
    this.key = Objects.requireNonNull(key, "key").clone();
    this.value = value;
  }

  /** Stores {@code value} (possibly empty) under {@code key}. */
  public static Op put(byte[] key, byte[] value) {
    return new Op(Kind.PUT, key, Objects.requireNonNull(value, "value").clone());
  }

  /** Deletes {@code key}; an absent key is not an error. */
  public static Op delete(byte[] key) {
    return new Op(Kind.DELETE, key, null);
  }

  public Kind kind() {
    return kind;
  }

  /** A copy of the key. */
  public byte[] key() {
    return key.clone();
  }

  /** A copy of the value; empty for a delete. */
  public byte[] value() {
    return value == null ? new byte[0] : value.clone();
  }

  byte[] keyNoCopy() {
    return key;
  }

  byte[] valueNoCopy() {
    return value == null ? new byte[0] : value;
  }

  @Override
  public String toString() {
    return kind + "(" + key.length + "-byte key)";
  }
}

package io.kevo.chaos.history;

import java.util.Objects;

/**
 * One micro-operation of an {@link Op} on one key: a read, a put or a delete. Values are strings,
 * unique per write in a run (the workload writes each value once), so a read names the write it
 * saw.
 *
 * @param kind what it does
 * @param key the key
 * @param value for {@link Kind#PUT}, the value written; for {@link Kind#READ} of an operation that
 *     ended {@link Outcome#OK}, the value read, or null when the key was absent; null otherwise
 */
public record Mop(Kind kind, String key, String value) {
  /** What a micro-operation does. */
  public enum Kind {
    READ,
    PUT,
    DELETE
  }

  public Mop {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if (kind == Kind.PUT && value == null) {
      throw new IllegalArgumentException("a put writes a value");
    }
    if (kind == Kind.DELETE && value != null) {
      throw new IllegalArgumentException("a delete writes no value");
    }
  }

  public static Mop read(String key, String valueOrNull) {
    return new Mop(Kind.READ, key, valueOrNull);
  }

  public static Mop put(String key, String value) {
    return new Mop(Kind.PUT, key, value);
  }

  public static Mop delete(String key) {
    return new Mop(Kind.DELETE, key, null);
  }

  public boolean isWrite() {
    return kind != Kind.READ;
  }
}

package io.kevo.engine;

import java.util.Arrays;

/**
 * What a scan covers: keys in {@code [start, end)} (a {@code null} bound is open) that begin with
 * {@code prefix} (if set). Immutable; build with {@link #builder()} or the factories.
 */
public final class ScanOptions {
  /** Every live key. */
  public static final ScanOptions ALL = new ScanOptions(null, null, null);

  private final byte[] start;
  private final byte[] end;
  private final byte[] prefix;

  private ScanOptions(byte[] start, byte[] end, byte[] prefix) {
    this.start = start;
    this.end = end;
    this.prefix = prefix;
  }

  /** Keys in {@code [start, end)}; either bound may be {@code null} (open). */
  public static ScanOptions range(byte[] start, byte[] end) {
    return builder().start(start).end(end).build();
  }

  /** Keys that begin with {@code prefix}. */
  public static ScanOptions prefix(byte[] prefix) {
    return builder().prefix(prefix).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Inclusive lower bound, or {@code null}. A copy. */
  public byte[] start() {
    return start == null ? null : start.clone();
  }

  /** Exclusive upper bound, or {@code null}. A copy. */
  public byte[] end() {
    return end == null ? null : end.clone();
  }

  /** Required key prefix, or {@code null}. A copy. */
  public byte[] prefixBytes() {
    return prefix == null ? null : prefix.clone();
  }

  /** The effective inclusive lower bound: the larger of {@code start} and {@code prefix}. */
  public byte[] effectiveStart() {
    if (prefix == null) {
      return start == null ? null : start.clone();
    }
    if (start == null || Arrays.compareUnsigned(prefix, start) > 0) {
      return prefix.clone();
    }
    return start.clone();
  }

  /** Whether {@code key} lies inside {@code [start, end)} and carries the prefix. */
  public boolean contains(byte[] key) {
    if (start != null && Arrays.compareUnsigned(key, start) < 0) {
      return false;
    }
    if (end != null && Arrays.compareUnsigned(key, end) >= 0) {
      return false;
    }
    return prefix == null || hasPrefix(key, prefix);
  }

  /** Whether no key at or after {@code key} (in ascending order) can be in range. */
  public boolean isPastEnd(byte[] key) {
    if (end != null && Arrays.compareUnsigned(key, end) >= 0) {
      return true;
    }
    return prefix != null && !hasPrefix(key, prefix) && Arrays.compareUnsigned(key, prefix) > 0;
  }

  private static boolean hasPrefix(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Builder for {@link ScanOptions}. Not thread-safe. */
  public static final class Builder {
    private byte[] start;
    private byte[] end;
    private byte[] prefix;

    private Builder() {}

    public Builder start(byte[] start) {
      this.start = start == null ? null : start.clone();
      return this;
    }

    public Builder end(byte[] end) {
      this.end = end == null ? null : end.clone();
      return this;
    }

    public Builder prefix(byte[] prefix) {
      this.prefix = prefix == null || prefix.length == 0 ? null : prefix.clone();
      return this;
    }

    public ScanOptions build() {
      return new ScanOptions(start, end, prefix);
    }
  }
}

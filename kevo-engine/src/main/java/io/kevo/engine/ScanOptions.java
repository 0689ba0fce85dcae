package io.kevo.engine;

import java.util.Arrays;

/**
 * What a scan covers: keys in {@code [start, end)} (a {@code null} bound is open) that begin with
 * {@code prefix} and end with {@code suffix} (each if set), in ascending or descending order.
 * Immutable; build with {@link #builder()} or the factories.
 */
public final class ScanOptions {
  /** Every live key. */
  public static final ScanOptions ALL = new ScanOptions(null, null, null, null, false);

  private final byte[] start;
  private final byte[] end;
  private final byte[] prefix;
  private final byte[] suffix;
  private final boolean reverse;

  private ScanOptions(byte[] start, byte[] end, byte[] prefix, byte[] suffix, boolean reverse) {
    this.start = start;
    this.end = end;
    this.prefix = prefix;
    this.suffix = suffix;
    this.reverse = reverse;
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

  /** Required key suffix, or {@code null}. A copy. */
  public byte[] suffixBytes() {
    return suffix == null ? null : suffix.clone();
  }

  /** Whether {@link KevoDB#scan} returns keys in descending order. */
  public boolean reverse() {
    return reverse;
  }

  /** Whether {@code key} lies inside {@code [start, end)} and carries the prefix. */
  public boolean contains(byte[] key) {
    if (start != null && Arrays.compareUnsigned(key, start) < 0) {
      return false;
    }
    if (end != null && Arrays.compareUnsigned(key, end) >= 0) {
      return false;
    }
    if (prefix != null && !hasPrefix(key, prefix)) {
      return false;
    }
    return suffix == null
        || (key.length >= suffix.length
            && Arrays.equals(
                key, key.length - suffix.length, key.length, suffix, 0, suffix.length));
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
    private byte[] suffix;
    private boolean reverse;

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

    /** Only keys ending with {@code suffix} (a filter: the scan still walks the range). */
    public Builder suffix(byte[] suffix) {
      this.suffix = suffix == null || suffix.length == 0 ? null : suffix.clone();
      return this;
    }

    /** Return keys in descending order. */
    public Builder reverse(boolean reverse) {
      this.reverse = reverse;
      return this;
    }

    public ScanOptions build() {
      return new ScanOptions(start, end, prefix, suffix, reverse);
    }
  }
}

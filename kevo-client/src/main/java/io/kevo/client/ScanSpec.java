package io.kevo.client;

/**
 * What a scan returns, as the protocol defines it: keys with {@code prefix} and/or {@code suffix};
 * else keys in {@code [start, end)} (a null bound is open); else everything. At most {@code limit}
 * pairs, or no limit when {@code limit <= 0}. Immutable; arrays are copied in and out.
 */
public final class ScanSpec {
  /** Every live key. */
  public static final ScanSpec ALL = builder().build();

  private final byte[] prefix;
  private final byte[] suffix;
  private final byte[] start;
  private final byte[] end;
  private final int limit;

  private ScanSpec(Builder b) {
    this.prefix = copy(b.prefix);
    this.suffix = copy(b.suffix);
    this.start = copy(b.start);
    this.end = copy(b.end);
    this.limit = b.limit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keys starting with {@code prefix}. */
  public static ScanSpec prefix(byte[] prefix) {
    return builder().prefix(prefix).build();
  }

  /** Keys in {@code [start, end)}; a null bound is open. */
  public static ScanSpec range(byte[] start, byte[] end) {
    return builder().start(start).end(end).build();
  }

  /** The prefix filter, or null. */
  public byte[] prefix() {
    return copy(prefix);
  }

  /** The suffix filter, or null. */
  public byte[] suffix() {
    return copy(suffix);
  }

  /** The inclusive lower bound, or null. */
  public byte[] start() {
    return copy(start);
  }

  /** The exclusive upper bound, or null. */
  public byte[] end() {
    return copy(end);
  }

  /** The most pairs returned; {@code <= 0} means no limit. */
  public int limit() {
    return limit;
  }

  private static byte[] copy(byte[] b) {
    return b == null ? null : b.clone();
  }

  /** Builds a {@link ScanSpec}; every field is optional. */
  public static final class Builder {
    private byte[] prefix;
    private byte[] suffix;
    private byte[] start;
    private byte[] end;
    private int limit;

    private Builder() {}

    public Builder prefix(byte[] prefix) {
      this.prefix = prefix;
      return this;
    }

    public Builder suffix(byte[] suffix) {
      this.suffix = suffix;
      return this;
    }

    public Builder start(byte[] start) {
      this.start = start;
      return this;
    }

    public Builder end(byte[] end) {
      this.end = end;
      return this;
    }

    /** At most this many pairs; {@code <= 0} (the default) means no limit. */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public ScanSpec build() {
      return new ScanSpec(this);
    }
  }

  /** This scan as a {@code Scan} request. */
  io.kevo.proto.ScanRequest toRequest() {
    io.kevo.proto.ScanRequest.Builder b = io.kevo.proto.ScanRequest.newBuilder().setLimit(limit());
    if (prefix() != null) {
      b.setPrefix(com.google.protobuf.ByteString.copyFrom(prefix()));
    }
    if (suffix() != null) {
      b.setSuffix(com.google.protobuf.ByteString.copyFrom(suffix()));
    }
    if (start() != null) {
      b.setStartKey(com.google.protobuf.ByteString.copyFrom(start()));
    }
    if (end() != null) {
      b.setEndKey(com.google.protobuf.ByteString.copyFrom(end()));
    }
    return b.build();
  }

  /** This scan as a {@code TxScan} request in transaction {@code id}. */
  io.kevo.proto.TxScanRequest toTxRequest(String id) {
    io.kevo.proto.ScanRequest r = toRequest();
    return io.kevo.proto.TxScanRequest.newBuilder()
        .setTransactionId(id)
        .setLimit(r.getLimit())
        .setPrefix(r.getPrefix())
        .setSuffix(r.getSuffix())
        .setStartKey(r.getStartKey())
        .setEndKey(r.getEndKey())
        .build();
  }
}

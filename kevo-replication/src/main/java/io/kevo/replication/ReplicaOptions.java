package io.kevo.replication;

import io.kevo.engine.KeyRange;
import io.kevo.proto.replication.CompressionCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * How a {@link io.kevo.replication.replica.Replica} talks to its primary. Immutable; build with
 * {@link #builder()}, start from {@link #DEFAULT}. Which primary to stream from is not an option
 * but a constructor argument of {@link io.kevo.replication.replica.Replica} (a channel supplier
 * owned by the caller).
 *
 * @param replicaId the id sent as {@code replica_id}; {@code null} (the default) means the id kept
 *     in {@code <data>/replication/replica-id}, created on first use
 * @param listenerAddress this node's client address (HOST:PORT) sent as {@code listener_address},
 *     or empty
 * @param preferredCodec the codec asked for ({@link CompressionCodec#NONE}: no compression)
 * @param acceptPacked whether the primary may send {@code packed_entries}
 * @param initialBackoff the first reconnect delay (before jitter)
 * @param maxBackoff the cap of the doubling reconnect delay, also the delay after a refusal
 * @param ackInterval how long applied records may wait to be synced and acknowledged together while
 *     the primary asks for acknowledgements ({@code ack_requested}: a write waits for this replica,
 *     or the primary's unacknowledged bytes for it grow large) and more messages are queued; with
 *     none queued they are synced and acknowledged at once
 * @param lazyAckInterval the same otherwise (at least {@code ackInterval}): acknowledgements then
 *     only move the primary's retention and its view of the replica's position, so the replica
 *     fsyncs and acknowledges seldom
 * @param idleTimeout a stream that delivers nothing (not even a heartbeat) for this long is deemed
 *     dead and replaced: this detects black holes. Should be a few heartbeat intervals.
 * @param rpcTimeout the deadline of each Acknowledge and NegativeAcknowledge call
 * @param nackRetryInterval a gap that stays unfilled this long after its nack is nacked again
 * @param queueCapacity how many stream messages may wait for the apply thread (the flow-control
 *     window: no more are requested from the primary)
 * @param maxRecordBytes the largest atomic batch (or fragmented operation) the replica assembles in
 *     memory
 * @param maxDecompressedBytes the largest payload one compressed frame may expand to
 * @param clock the wall clock (status times, lag)
 * @param nanoTime a monotonic clock in nanoseconds (timeouts and coalescing deadlines)
 * @param random the source of backoff jitter
 * @param bootstrap whether a replica whose position the primary no longer retains fetches a
 *     snapshot of the primary and replaces its contents with it (else it keeps retrying, its status
 *     saying it needs a bootstrap)
 * @param learner whether this replica streams as a learner ({@code WALStreamRequest.learner}): a
 *     node of another shard copying the primary's log for a split (default false). The primary
 *     keeps the log for it from its acknowledged position like for any replica, but its
 *     acknowledgements count toward no acknowledgement level ({@code replica:N}, {@code all}) and
 *     never move the primary's confirmed sequence: it will never be elected in the primary's shard
 * @param keyRange the keys a learner keeps: the range moving to its shard ({@link KeyRange#ALL} for
 *     every replica that is not a learner). A learner whose database does not already keep exactly
 *     this range, or keeps nothing yet, bootstraps from a snapshot of the range ({@code
 *     SnapshotRequest.range_start}/{@code range_end}) before it streams, and its database then
 *     keeps only that range ({@link io.kevo.engine.KevoDB#retainOnly})
 */
public record ReplicaOptions(
    String replicaId,
    String listenerAddress,
    CompressionCodec preferredCodec,
    boolean acceptPacked,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration ackInterval,
    Duration lazyAckInterval,
    Duration idleTimeout,
    Duration rpcTimeout,
    Duration nackRetryInterval,
    int queueCapacity,
    long maxRecordBytes,
    int maxDecompressedBytes,
    Clock clock,
    NanoClock nanoTime,
    Supplier<Random> random,
    boolean bootstrap,
    boolean learner,
    KeyRange keyRange) {

  /** A monotonic clock in nanoseconds ({@code System::nanoTime} by default). */
  @FunctionalInterface
  public interface NanoClock {
    long nanoTime();
  }

  /** The protocol version this replica speaks ({@code WALStreamRequest.protocol_version}). */
  public static final int PROTOCOL_VERSION = 1;

  /**
   * ZSTD preferred, packed accepted, backoff 100 ms to 10 s, acks coalesced over 5 ms, idle timeout
   * 5 s, RPC timeout 5 s, nack retry 2 s, 8 queued messages, 256 MiB per record, 64 MiB per frame.
   */
  public static final ReplicaOptions DEFAULT = builder().build();

  public ReplicaOptions {
    Objects.requireNonNull(listenerAddress, "listenerAddress");
    Objects.requireNonNull(preferredCodec, "preferredCodec");
    if (preferredCodec == CompressionCodec.UNRECOGNIZED) {
      throw new IllegalArgumentException("preferredCodec must be NONE, ZSTD or SNAPPY");
    }
    if (replicaId != null && (replicaId.isBlank() || !replicaId.chars().allMatch(c -> c > 32))) {
      throw new IllegalArgumentException("replicaId must be non-blank printable ASCII");
    }
    positive(initialBackoff, "initialBackoff");
    positive(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
    }
    notNegative(ackInterval, "ackInterval");
    notNegative(lazyAckInterval, "lazyAckInterval");
    positive(idleTimeout, "idleTimeout");
    positive(rpcTimeout, "rpcTimeout");
    positive(nackRetryInterval, "nackRetryInterval");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1");
    }
    if (maxRecordBytes < 1 || maxDecompressedBytes < 1) {
      throw new IllegalArgumentException(
          "maxRecordBytes and maxDecompressedBytes must be positive");
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(nanoTime, "nanoTime");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(keyRange, "keyRange");
    if (!learner && !keyRange.isAll()) {
      throw new IllegalArgumentException(
          "only a learner keeps part of the keys; a replica of the primary's shard keeps them all");
    }
  }

  private static void notNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.replicaId = replicaId;
    b.listenerAddress = listenerAddress;
    b.preferredCodec = preferredCodec;
    b.acceptPacked = acceptPacked;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.ackInterval = ackInterval;
    b.lazyAckInterval = lazyAckInterval;
    b.idleTimeout = idleTimeout;
    b.rpcTimeout = rpcTimeout;
    b.nackRetryInterval = nackRetryInterval;
    b.queueCapacity = queueCapacity;
    b.maxRecordBytes = maxRecordBytes;
    b.maxDecompressedBytes = maxDecompressedBytes;
    b.clock = clock;
    b.nanoTime = nanoTime;
    b.random = random;
    b.bootstrap = bootstrap;
    b.learner = learner;
    b.keyRange = keyRange;
    return b;
  }

  /** Builds {@link ReplicaOptions}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String replicaId;
    private String listenerAddress = "";
    private CompressionCodec preferredCodec = CompressionCodec.ZSTD;
    private boolean acceptPacked = true;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration ackInterval = Duration.ofMillis(1);
    private Duration lazyAckInterval = Duration.ofMillis(100);
    private Duration idleTimeout = Duration.ofSeconds(5);
    private Duration rpcTimeout = Duration.ofSeconds(5);
    private Duration nackRetryInterval = Duration.ofSeconds(2);
    private int queueCapacity = 8;
    private long maxRecordBytes = 256L << 20;
    private int maxDecompressedBytes = 64 << 20;
    private Clock clock = Clock.systemUTC();
    private NanoClock nanoTime = System::nanoTime;
    private Supplier<Random> random = Random::new;
    private boolean bootstrap = true;
    private boolean learner;
    private KeyRange keyRange = KeyRange.ALL;

    private Builder() {}

    public Builder replicaId(String v) {
      replicaId = v;
      return this;
    }

    public Builder listenerAddress(String v) {
      listenerAddress = v;
      return this;
    }

    public Builder preferredCodec(CompressionCodec v) {
      preferredCodec = v;
      return this;
    }

    public Builder acceptPacked(boolean v) {
      acceptPacked = v;
      return this;
    }

    public Builder initialBackoff(Duration v) {
      initialBackoff = v;
      return this;
    }

    public Builder maxBackoff(Duration v) {
      maxBackoff = v;
      return this;
    }

    public Builder ackInterval(Duration v) {
      ackInterval = v;
      return this;
    }

    public Builder lazyAckInterval(Duration v) {
      lazyAckInterval = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder rpcTimeout(Duration v) {
      rpcTimeout = v;
      return this;
    }

    public Builder nackRetryInterval(Duration v) {
      nackRetryInterval = v;
      return this;
    }

    public Builder queueCapacity(int v) {
      queueCapacity = v;
      return this;
    }

    public Builder maxRecordBytes(long v) {
      maxRecordBytes = v;
      return this;
    }

    public Builder maxDecompressedBytes(int v) {
      maxDecompressedBytes = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder nanoTime(NanoClock v) {
      nanoTime = v;
      return this;
    }

    /** Called once per replica for its jitter source (e.g. {@code () -> new Random(42)}). */
    public Builder random(Supplier<Random> v) {
      random = v;
      return this;
    }

    /** Default true. */
    public Builder bootstrap(boolean v) {
      bootstrap = v;
      return this;
    }

    /**
     * Default false: streams as a learner, whose acknowledgements count toward no acknowledgement
     * level of the primary (see {@link ReplicaOptions#learner()}).
     */
    public Builder learner(boolean v) {
      learner = v;
      return this;
    }

    /**
     * Default {@link KeyRange#ALL}: the keys a learner keeps (see {@link
     * ReplicaOptions#keyRange()}); anything else requires {@link #learner(boolean)}.
     */
    public Builder keyRange(KeyRange v) {
      keyRange = v;
      return this;
    }

    public ReplicaOptions build() {
      return new ReplicaOptions(
          replicaId,
          listenerAddress,
          preferredCodec,
          acceptPacked,
          initialBackoff,
          maxBackoff,
          ackInterval,
          lazyAckInterval,
          idleTimeout,
          rpcTimeout,
          nackRetryInterval,
          queueCapacity,
          maxRecordBytes,
          maxDecompressedBytes,
          clock,
          nanoTime,
          random,
          bootstrap,
          learner,
          keyRange);
    }
  }
}

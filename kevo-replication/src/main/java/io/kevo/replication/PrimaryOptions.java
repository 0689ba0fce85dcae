package io.kevo.replication;

import io.kevo.wire.AckLevel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link io.kevo.replication.primary.Primary}. Build with {@link
 * #builder()}; {@link #DEFAULT} holds the defaults listed on each builder method. Thread-safe.
 */
public final class PrimaryOptions {
  /** The defaults. */
  public static final PrimaryOptions DEFAULT = builder().build();

  private final int batchBytes;
  private final long inFlightBytes;
  private final long tailBytes;
  private final Duration heartbeatInterval;
  private final Duration sendLinger;
  private final Duration sessionTimeout;
  private final long retentionBytes;
  private final Duration retentionAge;
  private final Duration positionsFlushInterval;
  private final Path stateDirectory;
  private final int senderThreads;
  private final int maxConcurrentBootstraps;
  private final int snapshotChunkBytes;
  private final Clock clock;
  private final AckLevel ackLevel;

  private PrimaryOptions(Builder b) {
    this.batchBytes = b.batchBytes;
    this.inFlightBytes = b.inFlightBytes;
    this.tailBytes = b.tailBytes;
    this.heartbeatInterval = b.heartbeatInterval;
    this.sendLinger = b.sendLinger;
    this.sessionTimeout = b.sessionTimeout;
    this.retentionBytes = b.retentionBytes;
    this.retentionAge = b.retentionAge;
    this.positionsFlushInterval = b.positionsFlushInterval;
    this.stateDirectory = b.stateDirectory;
    this.senderThreads = b.senderThreads;
    this.maxConcurrentBootstraps = b.maxConcurrentBootstraps;
    this.snapshotChunkBytes = b.snapshotChunkBytes;
    this.clock = b.clock;
    this.ackLevel = b.ackLevel;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.batchBytes = batchBytes;
    b.inFlightBytes = inFlightBytes;
    b.tailBytes = tailBytes;
    b.heartbeatInterval = heartbeatInterval;
    b.sendLinger = sendLinger;
    b.sessionTimeout = sessionTimeout;
    b.retentionBytes = retentionBytes;
    b.retentionAge = retentionAge;
    b.positionsFlushInterval = positionsFlushInterval;
    b.stateDirectory = stateDirectory;
    b.senderThreads = senderThreads;
    b.maxConcurrentBootstraps = maxConcurrentBootstraps;
    b.snapshotChunkBytes = snapshotChunkBytes;
    b.clock = clock;
    b.ackLevel = ackLevel;
    return b;
  }

  /** Largest serialized size of one response's entries, before compression. */
  public int batchBytes() {
    return batchBytes;
  }

  /** Unacknowledged bytes (on the wire) a session may have in flight before it waits for acks. */
  public long inFlightBytes() {
    return inFlightBytes;
  }

  /**
   * The level client writes wait for unless they ask otherwise (the server's {@code
   * --replication-ack}). Other than {@code async}, the primary also lets clients read only what a
   * replica has acknowledged ({@link io.kevo.replication.primary.Primary#confirmedSequence()}), and
   * after it opens refuses reads until a replica confirmed its last sequence ({@link
   * io.kevo.replication.primary.Primary#readRefusal()}).
   */
  public AckLevel ackLevel() {
    return ackLevel;
  }

  /** Encoded bytes of recent records kept in memory for sessions that keep up. */
  public long tailBytes() {
    return tailBytes;
  }

  /** How long a stream may stay idle before it gets a heartbeat. */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * How long a session may hold back a response that is far from full, after its previous one, for
   * more records to join it: fewer, fuller messages (less CPU per entry on both sides) for at most
   * this much added latency. Zero sends every record at once.
   */
  public Duration sendLinger() {
    return sendLinger;
  }

  /** A session that neither reads nor acknowledges for this long is closed. */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /** A replica loses its WAL hold once the log it keeps alive exceeds this many bytes. */
  public long retentionBytes() {
    return retentionBytes;
  }

  /** A disconnected replica loses its WAL hold once it has not been seen for this long. */
  public Duration retentionAge() {
    return retentionAge;
  }

  /** Acknowledged positions are written to disk at most this often (and on close). */
  public Duration positionsFlushInterval() {
    return positionsFlushInterval;
  }

  /** Where replica positions are kept; {@code null} means {@code <database dir>/replication}. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** Threads that build and send responses (and read WAL files for lagging replicas). */
  public int senderThreads() {
    return senderThreads;
  }

  /**
   * Snapshot transfers (replica bootstraps) that may run at once; more are refused with {@code
   * RESOURCE_EXHAUSTED} and retried by the replica. Each pins a snapshot's files and reads them.
   */
  public int maxConcurrentBootstraps() {
    return maxConcurrentBootstraps;
  }

  /** Largest data chunk of a snapshot transfer. */
  public int snapshotChunkBytes() {
    return snapshotChunkBytes;
  }

  /** The clock of positions' last-seen times, lag, heartbeats and timeouts. */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "PrimaryOptions{batchBytes="
        + batchBytes
        + ", inFlightBytes="
        + inFlightBytes
        + ", tailBytes="
        + tailBytes
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", sendLinger="
        + sendLinger
        + ", sessionTimeout="
        + sessionTimeout
        + ", retentionBytes="
        + retentionBytes
        + ", retentionAge="
        + retentionAge
        + ", positionsFlushInterval="
        + positionsFlushInterval
        + ", stateDirectory="
        + stateDirectory
        + ", senderThreads="
        + senderThreads
        + ", maxConcurrentBootstraps="
        + maxConcurrentBootstraps
        + ", snapshotChunkBytes="
        + snapshotChunkBytes
        + ", ackLevel="
        + ackLevel
        + '}';
  }

  /** Builder for {@link PrimaryOptions}; validates each value. Not thread-safe. */
  public static final class Builder {
    private int batchBytes = 256 << 10;
    private long inFlightBytes = 8L << 20;
    private long tailBytes = 32L << 20;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration sendLinger = Duration.ofMillis(1);
    private Duration sessionTimeout = Duration.ofSeconds(10);
    private long retentionBytes = 1L << 30;
    private Duration retentionAge = Duration.ofHours(1);
    private Duration positionsFlushInterval = Duration.ofMillis(150);
    private Path stateDirectory;
    private int senderThreads = 2;
    private int maxConcurrentBootstraps = 2;
    private int snapshotChunkBytes = 1 << 20;
    private Clock clock = Clock.systemUTC();
    private AckLevel ackLevel = AckLevel.ASYNC;

    private Builder() {}

    /** Default 256 KiB; from 1 KiB to 4 MiB (gRPC's default message limit). */
    public Builder batchBytes(int bytes) {
      this.batchBytes = (int) check("batchBytes", bytes, 1 << 10, 4 << 20);
      return this;
    }

    /** Default 8 MiB; from 1 KiB to 1 GiB. */
    public Builder inFlightBytes(long bytes) {
      this.inFlightBytes = check("inFlightBytes", bytes, 1 << 10, 1L << 30);
      return this;
    }

    /** Default 32 MiB; from 0 (always read the log files) to 1 GiB. */
    public Builder tailBytes(long bytes) {
      this.tailBytes = check("tailBytes", bytes, 0, 1L << 30);
      return this;
    }

    /** Default 1 s; from 10 ms to 1 minute. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = checkDuration("heartbeatInterval", interval, 10, 60_000);
      return this;
    }

    /** Default 1 ms; from 0 (no lingering) to 100 ms. */
    public Builder sendLinger(Duration linger) {
      this.sendLinger = checkDuration("sendLinger", linger, 0, 100);
      return this;
    }

    /** Default 10 s; from 50 ms to 1 hour. */
    public Builder sessionTimeout(Duration timeout) {
      this.sessionTimeout = checkDuration("sessionTimeout", timeout, 50, 3_600_000);
      return this;
    }

    /** Default 1 GiB; at least 0 (a replica never holds the log past its live segment). */
    public Builder retentionBytes(long bytes) {
      this.retentionBytes = check("retentionBytes", bytes, 0, Long.MAX_VALUE);
      return this;
    }

    /** Default 1 hour; from 0 to 365 days. */
    public Builder retentionAge(Duration age) {
      this.retentionAge = checkDuration("retentionAge", age, 0, 365L * 86_400_000);
      return this;
    }

    /** Default 150 ms; from 10 ms to 1 minute. */
    public Builder positionsFlushInterval(Duration interval) {
      this.positionsFlushInterval = checkDuration("positionsFlushInterval", interval, 10, 60_000);
      return this;
    }

    /** Default {@code null}: {@code <database dir>/replication}. */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = dir;
      return this;
    }

    /** Default 2; from 1 to 64. */
    public Builder senderThreads(int threads) {
      this.senderThreads = (int) check("senderThreads", threads, 1, 64);
      return this;
    }

    /** Default 2; from 1 to 64. */
    public Builder maxConcurrentBootstraps(int transfers) {
      this.maxConcurrentBootstraps = (int) check("maxConcurrentBootstraps", transfers, 1, 64);
      return this;
    }

    /** Default 1 MiB; from 4 KiB to 4 MiB (gRPC's default message limit, framing aside). */
    public Builder snapshotChunkBytes(int bytes) {
      this.snapshotChunkBytes = (int) check("snapshotChunkBytes", bytes, 4 << 10, (4 << 20) - 1024);
      return this;
    }

    /** Default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Default {@code async} (no read ceiling). See {@link PrimaryOptions#ackLevel()}. */
    public Builder ackLevel(AckLevel level) {
      this.ackLevel = Objects.requireNonNull(level, "ackLevel");
      return this;
    }

    public PrimaryOptions build() {
      return new PrimaryOptions(this);
    }

    private static long check(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be in [" + min + ", " + max + "], was " + value);
      }
      return value;
    }

    private static Duration checkDuration(String name, Duration d, long minMs, long maxMs) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.toMillis() < minMs || d.toMillis() > maxMs) {
        throw new IllegalArgumentException(
            name + " must be in [" + minMs + " ms, " + maxMs + " ms], was " + d);
      }
      return d;
    }
  }
}

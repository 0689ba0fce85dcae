package io.kevo.replication.primary;

import io.grpc.StatusRuntimeException;
import io.kevo.replication.Compressor;
import io.kevo.replication.PrimaryOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The seam between a {@link Primary} and its {@link PrimarySession}s: what every session of a
 * primary shares and may use, and nothing else. A session runs on {@link #sender()}, encodes with
 * {@link #compressor()}, reads records from the in-memory {@link #tail()} or else from the log
 * files ({@link #log()}), counts what it sends in {@link #counters()}, stamps responses with {@link
 * #lastSequence()} and {@link #nowMicros()}, and reports its end to {@link #ended}, once.
 *
 * <p>The log is held as {@link EngineWalProvider}, not as the seed's {@link
 * io.kevo.replication.WalProvider}: a session also hands its read position back when it ends
 * ({@link EngineWalProvider#release}), so that the cursor it parked there is closed, which the seed
 * interface has no word for.
 *
 * <p>Immutable; thread-safe as its parts are (each is).
 */
final class SessionContext {
  /** Told when a session's stream has ended (once per session, on its drain). */
  interface EndListener {
    void sessionEnded(PrimarySession session, StatusRuntimeException status);
  }

  private final ScheduledExecutorService sender;
  private final PrimaryOptions options;
  private final Compressor compressor;
  private final Clock clock;
  private final PrimaryCounters counters;
  private final WalTail tail;
  private final EngineWalProvider log;
  private final LongSupplier lastSequence;
  private final BooleanSupplier acksWanted;
  private final EndListener ended;

  SessionContext(
      ScheduledExecutorService sender,
      PrimaryOptions options,
      Compressor compressor,
      PrimaryCounters counters,
      WalTail tail,
      EngineWalProvider log,
      LongSupplier lastSequence,
      BooleanSupplier acksWanted,
      EndListener ended) {
    this.sender = sender;
    this.options = options;
    this.compressor = compressor;
    this.clock = options.clock();
    this.counters = counters;
    this.tail = tail;
    this.log = log;
    this.lastSequence = lastSequence;
    this.acksWanted = acksWanted;
    this.ended = ended;
  }

  /** Whether writes are waiting for acknowledgements these days: every response asks for them. */
  boolean acksWanted() {
    return acksWanted.getAsBoolean();
  }

  /** The sender threads: sessions drain and linger on them. */
  ScheduledExecutorService sender() {
    return sender;
  }

  PrimaryOptions options() {
    return options;
  }

  Compressor compressor() {
    return compressor;
  }

  Clock clock() {
    return clock;
  }

  PrimaryCounters counters() {
    return counters;
  }

  /** Recent records, shared by every session. */
  WalTail tail() {
    return tail;
  }

  /** The log files, for a session that lags behind the tail. */
  EngineWalProvider log() {
    return log;
  }

  /** The primary's last written sequence. */
  long lastSequence() {
    return lastSequence.getAsLong();
  }

  /** The primary's clock in microseconds since the epoch ({@code primary_time_micros}). */
  long nowMicros() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  /** Reports that {@code session}'s stream ended with {@code status}. */
  void ended(PrimarySession session, StatusRuntimeException status) {
    ended.sessionEnded(session, status);
  }
}

package io.kevo.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.kevo.wire.AckLevel;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client's side of acknowledgement levels and read-your-writes: the request metadata it sends
 * ({@code kevo-ack} on writes, {@code kevo-min-sequence} on reads in session mode), what it reads
 * from the trailers ({@code kevo-sequence}, {@code kevo-epoch}, {@code kevo-ack-replicas}, {@code
 * kevo-applied-sequence}) and the session's position: the highest sequence this client wrote or
 * observed. Thread-safe.
 */
final class Consistency {

  private final AckLevel defaultAck;
  private final boolean session;
  private final AtomicLong highest = new AtomicLong();

  Consistency(ClientOptions options) {
    this.defaultAck = options.ackLevel();
    this.session = options.sessionConsistency();
  }

  /** The highest commit sequence this client wrote or observed (0 before any). */
  long position() {
    return highest.get();
  }

  void observe(long sequence) {
    highest.accumulateAndGet(sequence, Math::max);
  }

  /** The headers of a write: {@code kevo-ack} if the spec or the options name a level. */
  Metadata writeHeaders(WriteSpec spec) {
    AckLevel level = spec.ack() != null ? spec.ack() : defaultAck;
    Metadata m = new Metadata();
    if (level != null) {
      m.put(WireMetadata.ACK, level.toString());
    }
    return m;
  }

  /** The headers of a read: {@code kevo-min-sequence} in session mode once something was seen. */
  Metadata readHeaders() {
    Metadata m = new Metadata();
    long p = highest.get();
    if (session && p > 0) {
      m.put(WireMetadata.MIN_SEQUENCE, Long.toString(p));
    }
    return m;
  }

  /** {@code stub} sending {@code headers} and keeping the call's trailers in {@code trailers}. */
  static <S extends AbstractStub<S>> S decorate(
      S stub, Metadata headers, AtomicReference<Metadata> trailers) {
    return stub.withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(headers),
        MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
  }

  /** The result a write's trailers report; the session moves to it. */
  WriteResult written(Metadata trailers) {
    long seq = number(trailers, WireMetadata.SEQUENCE);
    if (seq > 0) {
      observe(seq);
    }
    return new WriteResult(seq, Math.max(0, number(trailers, WireMetadata.EPOCH)));
  }

  /** A read's trailers: the session moves to the sequence the node had when it read. */
  void read(Metadata trailers) {
    long seq = number(trailers, WireMetadata.SEQUENCE);
    if (seq > 0) {
      observe(seq);
    }
  }

  /**
   * A write's failure as the caller sees it: a {@link ReplicationTimeoutException} if the server
   * committed it but its level was not met (the session then moves past it, since the primary has
   * it); else unchanged.
   */
  KevoClientException writeFailure(Throwable failure) {
    KevoClientException e = KevoClientException.of(failure);
    if (e.code() != Status.Code.DEADLINE_EXCEEDED || e instanceof ReplicationTimeoutException) {
      return e;
    }
    Metadata trailers = Status.trailersFromThrowable(e.getCause() != null ? e.getCause() : e);
    long seq = number(trailers, WireMetadata.SEQUENCE);
    if (seq <= 0) {
      return e; // the client's own deadline, or an older server: nothing says it was committed
    }
    observe(seq);
    return new ReplicationTimeoutException(
        e.serverMessage(), seq, (int) number(trailers, WireMetadata.ACK_REPLICAS), failure);
  }

  /**
   * Whether {@code failure} is a replica's refusal of a read it has not caught up with ({@code
   * UNAVAILABLE} with {@code kevo-applied-sequence}): the node is up, the read belongs on the
   * primary.
   */
  static boolean isLagging(Throwable failure) {
    if (!KevoClientException.isStatus(failure)
        || Status.fromThrowable(failure).getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    Metadata trailers = Status.trailersFromThrowable(failure);
    return trailers != null && trailers.containsKey(WireMetadata.APPLIED_SEQUENCE);
  }

  private static long number(Metadata trailers, Metadata.Key<String> key) {
    String v = trailers == null ? null : trailers.get(key);
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

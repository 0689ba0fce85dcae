package io.kevo.chaos.workload;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.wire.WireMetadata;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Request metadata out and response trailers in for one call: {@code kevo-ack} and {@code
 * kevo-min-sequence} are sent; {@code kevo-sequence} and {@code kevo-epoch} are read back (on
 * success and on failure alike).
 */
final class TrailerCapture {

  private final AtomicReference<Metadata> headers = new AtomicReference<>();
  private final AtomicReference<Metadata> trailers = new AtomicReference<>();

  /** {@code stub} sending {@code ack} (if not null) and {@code minSequence} (if positive). */
  KevoServiceGrpc.KevoServiceBlockingStub wrap(
      KevoServiceGrpc.KevoServiceBlockingStub stub, String ack, long minSequence) {
    Metadata out = new Metadata();
    if (ack != null) {
      out.put(WireMetadata.ACK, ack);
    }
    if (minSequence > 0) {
      out.put(WireMetadata.MIN_SEQUENCE, Long.toString(minSequence));
    }
    return stub.withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(out),
        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
  }

  long sequence() {
    return number(WireMetadata.SEQUENCE);
  }

  long epoch() {
    return number(WireMetadata.EPOCH);
  }

  private long number(Metadata.Key<String> key) {
    Metadata t = trailers.get();
    String v = t == null ? null : t.get(key);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

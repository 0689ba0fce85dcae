package io.kevo.server;

import com.google.protobuf.ByteString;
import io.kevo.engine.ScanOptions;

/**
 * Kevo's scan semantics as engine {@link ScanOptions}: a non-empty prefix and/or suffix filters
 * every key (the range is then ignored); otherwise the range {@code [start_key, end_key)}, an empty
 * bound being open; with neither, every live key. Ascending key order.
 */
final class ScanRequests {
  private ScanRequests() {}

  static ScanOptions toOptions(
      ByteString prefix, ByteString suffix, ByteString startKey, ByteString endKey) {
    ScanOptions.Builder b = ScanOptions.builder();
    if (!prefix.isEmpty() || !suffix.isEmpty()) {
      if (!prefix.isEmpty()) {
        b.prefix(prefix.toByteArray());
      }
      if (!suffix.isEmpty()) {
        b.suffix(suffix.toByteArray());
      }
      return b.build();
    }
    if (!startKey.isEmpty()) {
      b.start(startKey.toByteArray());
    }
    if (!endKey.isEmpty()) {
      b.end(endKey.toByteArray());
    }
    return b.build();
  }
}

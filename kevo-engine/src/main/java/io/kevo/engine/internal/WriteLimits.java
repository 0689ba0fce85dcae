package io.kevo.engine.internal;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import io.kevo.engine.Options;

/**
 * The argument checks every write makes, before it is queued: keys non-empty and at most {@link
 * Options#maxKeySize()}, values non-null and at most {@link Options#maxValueSize()}. Immutable;
 * thread-safe.
 */
final class WriteLimits {
  private final int maxKeySize;
  private final int maxValueSize;

  WriteLimits(Options options) {
    this.maxKeySize = options.maxKeySize();
    this.maxValueSize = options.maxValueSize();
  }

  void checkKey(byte[] key) {
    if (key == null) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "key must not be null");
    }
    if (key.length == 0) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "key must not be empty");
    }
    if (key.length > maxKeySize) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "key of " + key.length + " bytes exceeds the limit of " + maxKeySize);
    }
  }

  void checkValue(byte[] value) {
    if (value == null) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT, "value must not be null (an empty array is a value)");
    }
    if (value.length > maxValueSize) {
      throw new KevoException(
          ErrorCode.INVALID_ARGUMENT,
          "value of " + value.length + " bytes exceeds the limit of " + maxValueSize);
    }
  }
}

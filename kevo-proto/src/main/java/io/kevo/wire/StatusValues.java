package io.kevo.wire;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads and writes the text values of the status maps ({@code GetNodeInfoResponse.replication},
 * {@code ReplicaInfo.meta}) the same way for every field. Reading never throws: a missing key, or a
 * value that does not parse as the field's type (an older or newer node), is an absent value.
 * Stateless.
 */
final class StatusValues {
  private StatusValues() {}

  static Optional<String> text(Map<String, String> m, String key) {
    return Optional.ofNullable(m.get(key));
  }

  /** A decimal {@code long}. */
  static OptionalLong number(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** A ratio such as {@code 0.412}. */
  static OptionalDouble ratio(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /** {@code true} or {@code false}; anything else is absent. */
  static Optional<Boolean> flag(Map<String, String> m, String key) {
    String v = m.get(key);
    if ("true".equals(v)) {
      return Optional.of(Boolean.TRUE);
    }
    if ("false".equals(v)) {
      return Optional.of(Boolean.FALSE);
    }
    return Optional.empty();
  }

  /** An acknowledgement level in its text form ({@link AckLevel#parse}). */
  static Optional<AckLevel> ackLevel(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(AckLevel.parse(v));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code m} holds any of {@code keys}. */
  static boolean anyOf(Map<String, String> m, String... keys) {
    for (String k : keys) {
      if (m.containsKey(k)) {
        return true;
      }
    }
    return false;
  }

  static void put(Map<String, String> m, String key, Optional<?> v) {
    v.ifPresent(x -> m.put(key, x.toString()));
  }

  static void put(Map<String, String> m, String key, OptionalLong v) {
    v.ifPresent(x -> m.put(key, Long.toString(x)));
  }

  static void put(Map<String, String> m, String key, OptionalDouble v) {
    v.ifPresent(x -> m.put(key, formatRatio(x)));
  }

  /** A ratio as the maps carry it: three decimals, a dot. */
  static String formatRatio(double r) {
    return String.format(Locale.ROOT, "%.3f", r);
  }
}

package io.kevo.bench.failover;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as {@code kevo server} takes them: {@code 10s}, {@code 500ms}, {@code 2m}, or bare
 * seconds. Stateless.
 */
final class DurationOption implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration; write e.g. 10s, 500ms or 2m");
    }
  }
}

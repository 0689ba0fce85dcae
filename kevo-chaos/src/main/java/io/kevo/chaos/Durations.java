package io.kevo.chaos;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Parses the durations people type on the command lines of {@code kevo-bench}: {@code 90s}, {@code
 * 5m}, {@code 500ms}, {@code 1h}, bare seconds ({@code 30}), or ISO-8601 ({@code PT1M}). Stateless.
 */
public final class Durations {
  private Durations() {}

  /** A picocli converter for options that take a duration. */
  public static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      return parse(v);
    }
  }

  /**
   * The duration {@code v} says.
   *
   * @throws IllegalArgumentException naming the forms it takes
   */
  public static Duration parse(String v) {
    String s = v.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.startsWith("pt")) {
        return Duration.parse(s);
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + v + "' is not a duration; write e.g. 90s, 5m, 500ms or 1h");
    }
  }
}

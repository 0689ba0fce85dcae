package io.kevo.bench.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The benchmark's JSON, through Jackson: reports (maps, lists, strings, numbers, booleans, null)
 * written in map order, and read back as {@link java.util.LinkedHashMap}, {@link
 * java.util.ArrayList}, {@link String}, {@link Long} (every integer) or {@link Double}, {@link
 * Boolean} and {@code null}; and a child JVM's result record, written whole and read back as that
 * record ({@link #read}). A NaN or infinite double is written as null; a path or an enum as its
 * {@code toString()}. Thread-safe (the mapper is configured once, then only used).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(
              new SimpleModule("kevo-bench")
                  .addSerializer(Double.class, new FiniteOrNull())
                  .addSerializer(Float.class, new FiniteOrNull())
                  .addSerializer(Path.class, ToStringSerializer.instance))
          .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Two-space indent, every list element on a line of its own, {@code "key": value}. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withArrayEmptySeparator("")
                  .withObjectEmptySeparator(""));

  private Json() {}

  /** {@code value} as one line of JSON. */
  public static String compact(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code value} as indented JSON ending with a newline. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The value {@code text} holds.
   *
   * @throws IllegalArgumentException if it is not exactly one JSON value
   */
  public static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The object {@code text} holds.
   *
   * @throws IllegalArgumentException if it is not exactly one JSON object
   */
  public static Map<String, Object> parseObject(String text) {
    try {
      return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The {@code type} (a record, its components by name) that {@code text} holds, as {@link
   * #compact} wrote it.
   *
   * @throws IllegalArgumentException if it is not such a value
   */
  public static <T> T read(String text, Class<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "malformed " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** A double as a JSON number, or null when it has none (NaN, infinities). */
  private static final class FiniteOrNull extends JsonSerializer<Number> {
    @Override
    public void serialize(Number value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      double d = value.doubleValue();
      if (Double.isFinite(d)) {
        gen.writeNumber(d);
      } else {
        gen.writeNull();
      }
    }
  }
}

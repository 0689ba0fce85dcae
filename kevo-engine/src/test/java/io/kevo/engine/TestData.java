package io.kevo.engine;

import java.nio.charset.StandardCharsets;

/** Small helpers shared by engine tests. */
final class TestData {
  private TestData() {}

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}

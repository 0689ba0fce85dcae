package io.kevo.client;

import java.util.Arrays;

/**
 * One key and its value, as a scan returns them. The arrays belong to the caller (the client keeps
 * no reference); an empty value is a value.
 */
public record KeyValue(byte[] key, byte[] value) {
  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "KeyValue[key=" + key.length + " bytes, value=" + value.length + " bytes]";
  }
}

package io.kevo.chaos.workload;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * How the workload's values travel. A value is a string unique in the run ({@code c<client>-<n>}),
 * so a read names the write it saw. A large value (the large-writes nemesis) is written as its name
 * ({@code big:c<client>-<n>:<bytes>}), a {@code |}, then filler bytes derived from the name up to
 * its size: the history keeps only the name, and a read checks every byte before naming it (a
 * damaged large value reads back as {@code corrupt:<name>}, a value nobody wrote).
 */
public final class Values {
  private static final String BIG = "big:";

  private Values() {}

  public static String name(int client, long n) {
    return "c" + client + "-" + n;
  }

  public static String bigName(int client, long n, int bytes) {
    return BIG + name(client, n) + ":" + bytes;
  }

  /** The bytes written for value {@code name}. */
  public static ByteString encode(String name) {
    byte[] head = name.getBytes(StandardCharsets.UTF_8);
    if (!name.startsWith(BIG)) {
      return ByteString.copyFrom(head);
    }
    int size = Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
    byte[] b = new byte[Math.max(size, head.length + 1)];
    System.arraycopy(head, 0, b, 0, head.length);
    b[head.length] = '|';
    fill(name, b, head.length + 1);
    return ByteString.copyFrom(b);
  }

  /** The name of the value {@code bytes} holds (see the class comment for damaged large ones). */
  public static String decode(ByteString bytes) {
    if (!bytes.startsWith(ByteString.copyFromUtf8(BIG))) {
      return bytes.toStringUtf8();
    }
    byte[] b = bytes.toByteArray();
    int bar = 0;
    while (bar < b.length && b[bar] != '|') {
      bar++;
    }
    String name = new String(b, 0, bar, StandardCharsets.UTF_8);
    if (bar == b.length) {
      return "corrupt:" + name;
    }
    byte[] expected = b.clone();
    fill(name, expected, bar + 1);
    return java.util.Arrays.equals(b, expected) && sizeOf(name) == b.length
        ? name
        : "corrupt:" + name;
  }

  private static int sizeOf(String name) {
    try {
      int size = Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
      return Math.max(size, name.getBytes(StandardCharsets.UTF_8).length + 1);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void fill(String name, byte[] b, int from) {
    SplittableRandom r = new SplittableRandom(name.hashCode());
    for (int i = from; i < b.length; i++) {
      b[i] = (byte) r.nextInt(256);
    }
  }
}

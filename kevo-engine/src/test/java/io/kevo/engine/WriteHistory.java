package io.kevo.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The writes of a concurrent test to keys holding a long, each with the sequence it was committed
 * at, and for a transaction its snapshot and the value it read, so that a lost update can be
 * explained: which transaction read what, and which write it should have seen or conflicted with.
 * Thread-safe.
 */
final class WriteHistory {
  /** One committed write; {@code snapshot} and {@code read} are -1 for a plain put. */
  record Write(String key, long snapshot, long read, long written, long sequence, String by) {
    boolean transactional() {
      return snapshot >= 0;
    }
  }

  private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();

  void transaction(String key, long snapshot, long read, long written, long sequence, String by) {
    writes.add(new Write(key, snapshot, read, written, sequence, by));
  }

  void put(String key, long written, long sequence, String by) {
    writes.add(new Write(key, -1, -1, written, sequence, by));
  }

  /**
   * What breaks snapshot isolation, one line each: a transaction committed although another write
   * to its key was committed between its snapshot and its own commit (first committer wins), or a
   * transaction read another value than the last one committed at or below its snapshot ({@code
   * initial} if none was).
   */
  List<String> violations(long initial) {
    Map<String, List<Write>> byKey = new TreeMap<>();
    for (Write w : writes) {
      byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
    }
    List<String> out = new ArrayList<>();
    for (List<Write> ws : byKey.values()) {
      ws.sort(Comparator.comparingLong(Write::sequence));
      for (int i = 0; i < ws.size(); i++) {
        Write w = ws.get(i);
        if (!w.transactional()) {
          continue;
        }
        if (i > 0 && ws.get(i - 1).sequence() > w.snapshot()) {
          out.add(w + " committed although " + ws.get(i - 1) + " came after its snapshot");
        }
        int seen = i - 1;
        while (seen >= 0 && ws.get(seen).sequence() > w.snapshot()) {
          seen--;
        }
        long expected = seen < 0 ? initial : ws.get(seen).written();
        if (w.read() != expected) {
          out.add(
              w
                  + " read "
                  + w.read()
                  + " but the last write at or below its snapshot is "
                  + (seen < 0 ? "none (" + initial + ")" : ws.get(seen)));
        }
      }
    }
    return out;
  }
}

package io.kevo.chaos.check;

import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every write of a history, by key: for each operation and each key it writes, the value it left
 * there (its last write to that key; null for a delete). Values are unique per write in a run, so a
 * value read names the write that produced it. Immutable once built; safe to share.
 */
final class WriteIndex {
  /**
   * One operation's write to one key.
   *
   * @param op the operation (any outcome)
   * @param key the key
   * @param value what it left there; null for a delete
   * @param sequence the commit sequence of this very write, for an OK write whose operation
   *     reported one ({@code Op.sequence} is the last of its batch; the batch's writes take
   *     consecutive sequences in order); 0 when not known
   */
  record KeyWrite(Op op, String key, String value, long sequence) {
    boolean ok() {
      return op.outcome() == Outcome.OK;
    }

    boolean failed() {
      return op.outcome() == Outcome.FAIL;
    }

    long invoke() {
      return op.invokeNanos();
    }

    /** When it was known to have taken effect: never (+infinity) for an unknown outcome. */
    long complete() {
      return op.outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : op.completeNanos();
    }
  }

  private final Map<String, List<KeyWrite>> byKey = new HashMap<>();
  // key -> value (null for deletes) -> the writes that left it
  private final Map<String, Map<String, List<KeyWrite>>> byValue = new HashMap<>();

  private WriteIndex() {}

  static WriteIndex of(Collection<Op> ops) {
    WriteIndex index = new WriteIndex();
    for (Op op : ops) {
      for (KeyWrite w : writesOf(op)) {
        index.byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
        index
            .byValue
            .computeIfAbsent(w.key(), k -> new HashMap<>())
            .computeIfAbsent(w.value(), v -> new ArrayList<>())
            .add(w);
      }
    }
    return index;
  }

  /** The writes of one operation, one per key it writes, in the order of its last write to each. */
  static List<KeyWrite> writesOf(Op op) {
    List<Mop> mops = op.mops();
    int writeCount = (int) mops.stream().filter(Mop::isWrite).count();
    long first =
        op.outcome() == Outcome.OK && op.sequence() > 0 ? op.sequence() - writeCount + 1 : 0;
    Map<String, KeyWrite> last = new LinkedHashMap<>();
    int i = 0;
    for (Mop m : mops) {
      if (m.isWrite()) {
        long seq = first > 0 ? first + i : 0;
        last.remove(m.key());
        last.put(m.key(), new KeyWrite(op, m.key(), m.value(), seq));
        i++;
      }
    }
    return List.copyOf(last.values());
  }

  Set<String> keys() {
    return byKey.keySet();
  }

  /** Every write to {@code key}, any outcome, in the order of the operations given. */
  List<KeyWrite> to(String key) {
    return byKey.getOrDefault(key, List.of());
  }

  /** The writes that left {@code valueOrNull} in {@code key} (null: the deletes), any outcome. */
  List<KeyWrite> leaving(String key, String valueOrNull) {
    Map<String, List<KeyWrite>> values = byValue.get(key); // a HashMap: null is a valid key
    return values == null ? List.of() : values.getOrDefault(valueOrNull, List.of());
  }
}

package io.kevo.chaos.check;

import io.kevo.chaos.check.SequenceAudit.Position;
import io.kevo.chaos.check.WriteIndex.KeyWrite;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks what replicas may promise without being linearizable: every acknowledged GET sent to a
 * replica must
 *
 * <ol>
 *   <li>return a value some write (acknowledged or of unknown outcome) wrote, invoked before the
 *       read returned: else {@code read-of-unwritten-value}, {@code read-of-failed-write} or {@code
 *       read-before-write};
 *   <li>respect its read-your-writes token: if a write to the key acknowledged before the read
 *       began has a sequence at or below the token ({@code minSequence}), the value must not come
 *       from a write ordered before the latest such write, nor be absent unless a delete after it
 *       (and, when the replica reported its visible sequence, at or below that) explains it: else
 *       {@code read-your-writes-violation};
 *   <li>be monotonic per client and key: never return a value from a write ordered before the write
 *       of a value the same client read from that key earlier, nor absence unless a delete after
 *       that write explains it: else {@code non-monotonic-read}.
 * </ol>
 *
 * Writes are ordered by their sequences (epoch first when every acknowledged write reports one),
 * and only by sequences the {@link SequenceAudit} trusts; it also reports {@code sequence-reused}
 * and {@code sequence-regression}. A value whose write has no trusted sequence (unknown outcome,
 * none reported, reused) orders nothing, so rules 2 and 3 stay silent about it. The first op of
 * each anomaly is the offending read.
 *
 * <p>What it does not prove: that replica reads are recent (a replica may lag arbitrarily within
 * these rules), or anything about reads without a token beyond rules 1 and 3. {@code opsChecked}
 * counts the replica reads judged. Stateless apart from its options; thread-safe.
 */
public final class ReplicaReadChecker {
  /** The checker's name in results. */
  public static final String NAME = "replica-reads";

  private final CheckOptions options;

  public ReplicaReadChecker(CheckOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Checks the replica reads among {@code ops} (the run's operations, in any order). */
  public CheckResult check(List<Op> ops) {
    AnomalyLog log = new AnomalyLog(options.maxAnomalies());
    WriteIndex index = WriteIndex.of(ops);
    SequenceAudit audit = SequenceAudit.of(ops, log, NAME);
    Map<String, List<KeyWrite>> bySequence = new HashMap<>();
    List<Op> reads =
        ops.stream()
            .filter(o -> o.target() == Op.Target.REPLICA)
            .filter(o -> o.kind() == Op.Kind.GET && o.outcome() == Outcome.OK)
            .sorted(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::id))
            .toList();
    Map<String, Seen> seen = new HashMap<>(); // client and key -> the latest write it saw
    for (Op read : reads) {
      String key = read.mops().get(0).key();
      String value = read.mops().get(0).value();
      KeyWrite source = null;
      if (value != null) {
        List<KeyWrite> writers = index.leaving(key, value);
        List<KeyWrite> before =
            writers.stream()
                .filter(w -> !w.failed() && w.invoke() <= read.completeNanos())
                .toList();
        if (before.isEmpty()) {
          log.add(ReplicaReadAnomalies.unexplained(read, writers));
          continue;
        }
        // Unique values make this one write; if not, the value names none for ordering.
        source = before.size() == 1 && audit.trusted(before.get(0)) ? before.get(0) : null;
      }
      List<KeyWrite> trustedWrites =
          bySequence.computeIfAbsent(key, k -> trustedBySequence(index.to(k), audit));
      if (read.minSequence() > 0) {
        KeyWrite floor = latestAtOrBelow(trustedWrites, read.minSequence(), read.invokeNanos());
        if (floor != null && !satisfies(read, value, source, floor, index, audit)) {
          log.add(ReplicaReadAnomalies.belowToken(read, source, floor));
        }
      }
      Seen before = seen.get(read.client() + "\u0000" + key);
      if (before != null && !satisfies(read, value, source, before.write, index, audit)) {
        log.add(ReplicaReadAnomalies.wentBack(read, source, before.write, before.read));
      }
      if (source != null
          && (before == null
              || audit.position(source).compareTo(audit.position(before.write)) > 0)) {
        seen.put(read.client() + "\u0000" + key, new Seen(read, source));
      }
    }
    Status status = log.count() == 0 ? Status.VALID : Status.INVALID;
    String summary =
        log.count() == 0
            ? "replica reads ok (" + OpText.count(reads.size()) + " reads)"
            : "replica reads: " + OpText.count(log.count()) + " anomalies (" + log.kinds() + ")";
    Map<String, String> details = new TreeMap<>();
    details.put("replicaReads", Integer.toString(reads.size()));
    return new CheckResult(
        NAME, status, reads.size(), log.count(), log.kept(), summary, new TreeMap<>(details));
  }

  /** The latest write a client has seen on a key, and the read that saw it. */
  private record Seen(Op read, KeyWrite write) {}

  private static List<KeyWrite> trustedBySequence(List<KeyWrite> writes, SequenceAudit audit) {
    List<KeyWrite> out = new ArrayList<>(writes.stream().filter(audit::trusted).toList());
    out.sort(Comparator.comparingLong(KeyWrite::sequence));
    return out;
  }

  /**
   * The write of the highest sequence at or below {@code token} among those acknowledged before
   * {@code invoked}. Only writes acknowledged before the read began count: in one history every
   * write below the token was, but after a failover at {@code async} a token may come from a
   * discarded write, and the new primary then hands out sequences below it to writes that come
   * later; those say nothing about what the read had to see.
   */
  private static KeyWrite latestAtOrBelow(List<KeyWrite> bySequence, long token, long invoked) {
    int lo = 0;
    int hi = bySequence.size() - 1;
    int at = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (bySequence.get(mid).sequence() <= token) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    for (int i = at; i >= 0; i--) {
      if (bySequence.get(i).complete() <= invoked) {
        return bySequence.get(i);
      }
    }
    return null;
  }

  /**
   * Whether a read that returned {@code value} (from {@code source}, null if absent or not
   * orderable) may follow {@code floor}, a trusted write it must not precede.
   */
  private static boolean satisfies(
      Op read,
      String value,
      KeyWrite source,
      KeyWrite floor,
      WriteIndex index,
      SequenceAudit audit) {
    Position min = audit.position(floor);
    if (value != null) {
      return source == null || audit.position(source).compareTo(min) >= 0;
    }
    if (floor.value() == null) {
      return true; // the floor is itself a delete
    }
    for (KeyWrite d : index.leaving(floor.key(), null)) {
      if (d.failed()) {
        continue;
      }
      if (!audit.trusted(d)) {
        if (d.invoke() <= read.completeNanos()) {
          return true; // a delete of unknown position may explain it
        }
      } else if (audit.position(d).compareTo(min) > 0
          && (read.sequence() == 0 || d.sequence() <= read.sequence())) {
        return true;
      }
    }
    return false;
  }
}

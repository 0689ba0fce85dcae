package io.kevo.chaos.check;

import io.kevo.chaos.check.WriteIndex.KeyWrite;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a failed search on one key into an {@link Anomaly}: names the operation that could not be
 * linearized, finds the simplest reason a reader can check by hand, and lists the operations that
 * show it.
 *
 * <p>Kinds, tried in this order: {@code read-of-unwritten-value} (nobody wrote the value read),
 * {@code read-of-failed-write} (only a failed operation wrote it), {@code read-before-write} (its
 * only writes began after the read returned), {@code stale-read} (an acknowledged write that began
 * after every write of the value had completed overwrote it before the read began), {@code
 * lost-update} (another read-modify-write read the same single write and also overwrote it), and
 * otherwise {@code not-linearizable} (the search's proof, with no shorter one found).
 */
final class LinearizabilityExplainer {
  static final String CHECKER = LinearizabilityChecker.NAME;
  private static final int MAX_CONCURRENT = 10;
  private static final int MAX_EVIDENCE = 24;

  private final KeyHistory h;
  private final WingGongSearch.Result r;
  private final WriteIndex writes;
  private final Op x;
  private final String v;

  private LinearizabilityExplainer(KeyHistory h, WingGongSearch.Result r) {
    this.h = h;
    this.r = r;
    this.writes = WriteIndex.of(h.context);
    this.x = h.ops.get(r.stuckOp());
    this.v = readValueOrMarker(x);
  }

  static Anomaly explain(KeyHistory h, WingGongSearch.Result r) {
    return new LinearizabilityExplainer(h, r).anomaly();
  }

  private Anomaly anomaly() {
    String k = h.key;
    if (NO_READ.equals(v)) {
      // Unreachable as the search works (only a failed read stops it), but say something useful.
      String why = OpText.full(x) + " could not be linearized: " + generic("take effect");
      return new Anomaly(CHECKER, "not-linearizable", k, why, evidence(List.of()));
    }
    String what =
        x.kind() == Op.Kind.GET
            ? OpText.brief(x) + " returned " + OpText.value(v)
            : OpText.brief(x) + " read " + k + "=" + OpText.value(v);
    what += " during " + OpText.interval(x) + ", but ";
    List<Op> witnesses = new ArrayList<>();
    List<KeyWrite> all = writes.leaving(k, v);
    List<KeyWrite> live = all.stream().filter(w -> !w.failed()).toList();
    String kind;
    String why;
    KeyWrite overwriter;
    Op rival;
    if (v != null && live.isEmpty() && all.isEmpty()) {
      kind = "read-of-unwritten-value";
      why = "no operation wrote " + v + " to " + k + ".";
    } else if (v != null && live.isEmpty()) {
      KeyWrite w = all.get(0);
      witnesses.add(w.op());
      kind = "read-of-failed-write";
      why =
          "the only write of "
              + v
              + ", "
              + OpText.full(w.op())
              + ", failed ("
              + w.op().error()
              + "), so it never took effect.";
    } else if (v != null && live.stream().allMatch(w -> w.invoke() > x.completeNanos())) {
      KeyWrite w = live.stream().min(Comparator.comparingLong(KeyWrite::invoke)).orElseThrow();
      witnesses.add(w.op());
      kind = "read-before-write";
      why =
          v
              + " was first written by "
              + OpText.brief(w.op())
              + ", invoked at "
              + OpText.time(w.invoke())
              + ", after the read had returned.";
    } else if ((overwriter = overwriter(live)) != null) {
      witnesses.add(overwriter.op());
      live.stream().filter(w -> w.invoke() < x.completeNanos()).forEach(w -> witnesses.add(w.op()));
      kind = "stale-read";
      String pending = v == null ? "no delete of " + k : "no write of " + v;
      why =
          (v == null ? k + " had been written by " : v + " had been overwritten by ")
              + OpText.brief(overwriter.op())
              + ", acknowledged at "
              + OpText.time(overwriter.complete())
              + ", and "
              + pending
              + " was pending.";
    } else if ((rival = rival(live)) != null) {
      witnesses.add(rival);
      live.forEach(w -> witnesses.add(w.op()));
      kind = "lost-update";
      why =
          OpText.full(rival)
              + " also read "
              + k
              + "="
              + OpText.value(v)
              + " and then wrote "
              + k
              + ": two read-modify-writes cannot both directly follow the single write of "
              + OpText.value(v)
              + " (a lost update).";
    } else {
      kind = "not-linearizable";
      why = generic("read " + OpText.value(v));
    }
    return new Anomaly(CHECKER, kind, k, what + why, evidence(witnesses));
  }

  /**
   * The latest acknowledged write to the key, of another value, that began after every write of
   * {@code v} that began before the read returned had completed, and completed before the read
   * began; null if there is none. For {@code v} absent, the key's initial absence counts as a write
   * completed at the start.
   */
  private KeyWrite overwriter(List<KeyWrite> live) {
    long lastOfV = v == null ? Long.MIN_VALUE : Long.MIN_VALUE + 1;
    for (KeyWrite w : live) {
      if (w.invoke() < x.completeNanos()) {
        lastOfV = Math.max(lastOfV, w.complete());
      }
    }
    if (lastOfV == Long.MIN_VALUE + 1 || lastOfV == Long.MAX_VALUE) {
      return null; // no write of v to follow, or one still pending at the read
    }
    KeyWrite best = null;
    for (KeyWrite w : writes.to(h.key)) {
      if (w.ok()
          && !Objects.equals(w.value(), v)
          && w.invoke() > lastOfV
          && w.complete() < x.invokeNanos()
          && (best == null || w.complete() > best.complete())) {
        best = w;
      }
    }
    return best;
  }

  /**
   * Another acknowledged operation that read the same {@code v} from the key and then wrote it,
   * when only one write (or, for absent, only the initial state) could have produced {@code v}.
   */
  private Op rival(List<KeyWrite> live) {
    if (!overwrites(x) || live.size() > (v == null ? 0 : 1)) {
      return null;
    }
    for (Op o : h.ops) {
      if (o != x
          && o.outcome() == Outcome.OK
          && overwrites(o)
          && Objects.equals(readValueOrMarker(o), v)) {
        return o;
      }
    }
    return null;
  }

  /** Whether {@code op} leaves the key holding something other than {@code v}. */
  private boolean overwrites(Op op) {
    return WriteIndex.writesOf(op).stream()
        .anyMatch(w -> w.key().equals(h.key) && !Objects.equals(w.value(), v));
  }

  private static final String NO_READ = "\u0000no-read";

  /** The value {@code op} first read from the key, or {@link #NO_READ}. */
  private String readValueOrMarker(Op op) {
    for (Mop m : op.mops()) {
      if (m.key().equals(h.key) && !m.isWrite()) {
        return m.value();
      }
    }
    return NO_READ;
  }

  private String generic(String outcome) {
    String state = OpText.value(h.value(r.stateAtStuck()));
    String last =
        r.prefixTail().length == 0
            ? "is empty"
            : "ends with " + OpText.brief(h.ops.get(r.prefixTail()[r.prefixTail().length - 1]));
    return "no order of the operations on "
        + h.key
        + " that respects their real-time intervals lets it "
        + outcome
        + ": the longest linearizable prefix ("
        + r.prefixLength()
        + " operations) "
        + last
        + " and leaves "
        + h.key
        + "="
        + state
        + ", and no placement of the "
        + concurrent().size()
        + " operations concurrent with it helps.";
  }

  private List<Op> concurrent() {
    List<Op> out = new ArrayList<>();
    for (int i = 0; i < h.size() && out.size() < MAX_CONCURRENT; i++) {
      Op o = h.ops.get(i);
      if (o != x && h.call[i] <= x.completeNanos() && h.ret[i] >= x.invokeNanos()) {
        out.add(o);
      }
    }
    return out;
  }

  /** The stuck op first, then witnesses, the prefix's last ops and the concurrent ones. */
  private List<Op> evidence(List<Op> witnesses) {
    Set<Op> out = new LinkedHashSet<>();
    out.add(x);
    out.addAll(witnesses);
    for (int i : r.prefixTail()) {
      out.add(h.ops.get(i));
    }
    out.addAll(concurrent());
    return out.stream().limit(MAX_EVIDENCE).toList();
  }
}

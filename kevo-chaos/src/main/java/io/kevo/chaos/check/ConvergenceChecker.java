package io.kevo.chaos.check;

import io.kevo.chaos.history.NodeState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks that after healing every node holds the same data and the same last sequence as the
 * primary. Reports each node's digest (SHA-256 over its sorted keys and values, see {@link
 * #digest}) in the details ({@code digest.<node>}, {@code lastSequence.<node>}, {@code
 * keys.<node>}) and, for each node that differs, a {@code diverged} anomaly naming the first few
 * keys that differ. More than one node calling itself primary is a {@code two-primaries} anomaly;
 * with none, the nodes are compared with the first by name and the summary says so.
 *
 * <p>What it does not prove: that the common state is right (see {@link LostWriteChecker}). {@code
 * opsChecked} counts the nodes compared. Stateless apart from its options; thread-safe.
 */
public final class ConvergenceChecker {
  /** The checker's name in results. */
  public static final String NAME = "convergence";

  private static final int SHOWN_KEYS = 5;

  private final CheckOptions options;

  public ConvergenceChecker(CheckOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Compares {@code finals}, every node's state after healing; empty gives UNKNOWN. */
  public CheckResult check(List<NodeState> finals) {
    if (finals.isEmpty()) {
      return new CheckResult(
          NAME, Status.UNKNOWN, 0, 0, List.of(), "convergence unknown (no final states)", null);
    }
    List<NodeState> nodes = new ArrayList<>(finals);
    nodes.sort((a, b) -> a.node().compareTo(b.node()));
    List<NodeState> primaries =
        nodes.stream().filter(n -> n.role().equalsIgnoreCase("primary")).toList();
    NodeState reference = primaries.isEmpty() ? nodes.get(0) : primaries.get(0);
    AnomalyLog log = new AnomalyLog(options.maxAnomalies());
    if (primaries.size() > 1) {
      List<String> names = primaries.stream().map(NodeState::node).toList();
      log.add(
          new Anomaly(
              NAME,
              "two-primaries",
              null,
              "After healing, " + String.join(", ", names) + " all report the primary role.",
              List.of()));
    }
    Map<String, String> details = new TreeMap<>();
    List<String> diverged = new ArrayList<>();
    for (NodeState n : nodes) {
      details.put("digest." + n.node(), digest(n));
      details.put("lastSequence." + n.node(), Long.toString(n.lastSequence()));
      details.put("keys." + n.node(), Integer.toString(n.data().size()));
      if (n != reference && !(n.data().equals(reference.data()) && sameSequence(n, reference))) {
        diverged.add(n.node());
        log.add(difference(reference, n));
      }
    }
    String base = primaries.isEmpty() ? "node " : "primary ";
    String summary =
        diverged.isEmpty()
            ? "converged ("
                + nodes.size()
                + " nodes, "
                + OpText.count(reference.data().size())
                + " keys, digest "
                + digest(reference).substring(0, 12)
                + ")"
            : "NOT converged: "
                + String.join(", ", diverged)
                + " differ from "
                + base
                + reference.node();
    if (primaries.isEmpty()) {
      summary += "; no primary at the end";
    }
    Status status = log.count() == 0 ? Status.VALID : Status.INVALID;
    return new CheckResult(
        NAME, status, nodes.size(), log.count(), log.kept(), summary, new TreeMap<>(details));
  }

  private static boolean sameSequence(NodeState a, NodeState b) {
    return a.lastSequence() == b.lastSequence();
  }

  private static Anomaly difference(NodeState ref, NodeState n) {
    List<String> shown = new ArrayList<>();
    int differing = 0;
    Iterator<Map.Entry<String, String>> a = ref.data().entrySet().iterator();
    Iterator<Map.Entry<String, String>> b = n.data().entrySet().iterator();
    Map.Entry<String, String> x = a.hasNext() ? a.next() : null;
    Map.Entry<String, String> y = b.hasNext() ? b.next() : null;
    while (x != null || y != null) {
      int c = x == null ? 1 : y == null ? -1 : x.getKey().compareTo(y.getKey());
      String key = c <= 0 ? x.getKey() : y.getKey();
      String mine = c <= 0 ? x.getValue() : null;
      String theirs = c >= 0 ? y.getValue() : null;
      if (!Objects.equals(mine, theirs)) {
        differing++;
        if (shown.size() < SHOWN_KEYS) {
          shown.add(
              key
                  + ": "
                  + ref.node()
                  + "="
                  + OpText.value(mine)
                  + ", "
                  + n.node()
                  + "="
                  + OpText.value(theirs));
        }
      }
      x = c <= 0 ? (a.hasNext() ? a.next() : null) : x;
      y = c >= 0 ? (b.hasNext() ? b.next() : null) : y;
    }
    String text =
        n.node()
            + " (last sequence "
            + n.lastSequence()
            + ") differs from "
            + ref.node()
            + " (last sequence "
            + ref.lastSequence()
            + ")"
            + (differing == 0
                ? ": same data, different last sequence."
                : " in "
                    + differing
                    + " keys: "
                    + String.join("; ", shown)
                    + (differing > shown.size() ? "; ..." : "")
                    + ".");
    return new Anomaly(NAME, "diverged", null, text, List.of());
  }

  /**
   * SHA-256 over the node's keys and values in key order, each as a 4-byte big-endian length and
   * its UTF-8 bytes (so no two different contents encode alike), as lower-case hex. Equal data
   * gives equal digests on every node; the last sequence is not part of it.
   */
  public static String digest(NodeState state) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    for (Map.Entry<String, String> e : state.data().entrySet()) {
      update(sha, e.getKey());
      update(sha, e.getValue());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void update(MessageDigest sha, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }
}

package io.kevo.chaos.history;

import io.kevo.coordination.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which shard owned which keys, as a sharded run records it: a shard map's version and its ranges
 * in key order. Immutable.
 *
 * <p>A sharded run records each map the harness sees as a fault window of no length, of kind
 * {@value #FAULT_KIND}, whose detail is {@link #text()}: {@code version 2: s1 [-, "k005") s3
 * ["k005", "k010") s2 ["k010", -)}. Keys are quoted, letters, digits and {@code _.:/-} as they are
 * and any other byte as {@code \xNN} (so the text parses back exactly); {@code -} is an open end.
 * So a recorded history carries its maps, and a re-check ({@code --check}) groups operations by
 * shard as the run did.
 *
 * <p>Nodes of a sharded run are named {@code <shard>n<i>} ({@code s1n1}, {@code s3n2}): {@link
 * #shardOfNode} reads a node's shard back from its name.
 *
 * @param version the map's version (1 when created, one more per split)
 * @param ranges the shards in key order; the first starts at the empty key, each next one where the
 *     previous ends, the last has no end
 */
public record ShardLayout(long version, List<ShardRange> ranges) {
  /** The kind of the fault window that records a map. */
  public static final String FAULT_KIND = "shard-map";

  private static final Pattern TEXT = Pattern.compile("version (\\d+):(.*)");
  private static final Pattern RANGE =
      Pattern.compile(" (\\S+) \\[(-|\"[^\"]*\"), (-|\"[^\"]*\")\\)");
  private static final Pattern NODE = Pattern.compile("(.+)n\\d+");

  /** {@code [-, "k005")}: {@code range}'s keys as this map's text writes them. */
  public static String text(ShardRange range) {
    byte[] start = range.start();
    return "[" + (start.length == 0 ? "-" : quote(start)) + ", " + quote(range.end()) + ")";
  }

  public ShardLayout {
    ranges = List.copyOf(ranges);
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("a shard map has at least one shard");
    }
  }

  /** The shard whose range holds {@code key}. */
  public String ownerOf(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    for (ShardRange r : ranges) {
      if (r.contains(k)) {
        return r.id();
      }
    }
    throw new IllegalStateException("no shard of map version " + version + " holds " + key);
  }

  /** Shard {@code id}'s range, if the map has it. */
  public Optional<ShardRange> range(String id) {
    return ranges.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The shards' ids in key order. */
  public List<String> shards() {
    return ranges.stream().map(ShardRange::id).toList();
  }

  /**
   * Shard {@code id}'s part of {@code history} by this map: each operation projected onto the keys
   * this map gives the shard (its micro-operations on other keys dropped; an operation with none
   * left out), every fault window, and the final states of the shard's nodes. An operation's keys
   * are grouped by who owns them in this map, not by the node the operation went to, so a key that
   * a split moved keeps its whole history in one part.
   */
  public History part(History history, String id) {
    ShardRange range =
        range(id)
            .orElseThrow(
                () -> new IllegalArgumentException("map version " + version + " has no " + id));
    List<Op> ops = new ArrayList<>();
    for (Op op : history.ops()) {
      List<Mop> mine =
          op.mops().stream()
              .filter(m -> range.contains(m.key().getBytes(StandardCharsets.UTF_8)))
              .toList();
      if (mine.size() == op.mops().size()) {
        ops.add(op);
      } else if (!mine.isEmpty()) {
        ops.add(
            new Op(
                op.id(),
                op.client(),
                op.node(),
                op.target(),
                op.kind(),
                mine,
                op.invokeNanos(),
                op.completeNanos(),
                op.outcome(),
                op.error(),
                op.sequence(),
                op.epoch(),
                op.minSequence()));
      }
    }
    List<NodeState> finals =
        history.finalStates().stream().filter(s -> id.equals(shardOfNode(s.node()))).toList();
    return new History(ops, history.faults(), finals);
  }

  /** {@code version 2: s1 [-, "k005") s3 ["k005", "k010") s2 ["k010", -)}. */
  public String text() {
    StringBuilder b = new StringBuilder("version ").append(version).append(':');
    for (ShardRange r : ranges) {
      b.append(' ').append(r.id()).append(' ').append(text(r));
    }
    return b.toString();
  }

  /** This map as the history records it, seen at {@code nanos}. */
  public Fault asFault(long nanos) {
    return new Fault(FAULT_KIND, "map", nanos, nanos, text());
  }

  /**
   * Reads {@link #text()} back.
   *
   * @throws IllegalArgumentException if {@code text} is not a map's text
   */
  public static ShardLayout parse(String text) {
    Matcher m = TEXT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a shard map: " + text);
    }
    List<ShardRange> ranges = new ArrayList<>();
    Matcher r = RANGE.matcher(m.group(2));
    int at = 0;
    while (r.find() && r.start() == at) {
      byte[] start = r.group(2).equals("-") ? new byte[0] : unquote(r.group(2));
      byte[] end = r.group(3).equals("-") ? null : unquote(r.group(3));
      ranges.add(new ShardRange(r.group(1), start, end));
      at = r.end();
    }
    if (at != m.group(2).length()) {
      throw new IllegalArgumentException("not a shard map: " + text);
    }
    return new ShardLayout(Long.parseLong(m.group(1)), ranges);
  }

  /** Every map {@code faults} record, in the order seen, with when each was seen. */
  public static List<Seen> seenIn(List<Fault> faults) {
    return faults.stream()
        .filter(f -> f.kind().equals(FAULT_KIND))
        .map(f -> new Seen(f.startNanos(), parse(f.detail())))
        .sorted((a, b) -> Long.compare(a.nanos(), b.nanos()))
        .toList();
  }

  /** The last map {@code faults} record: a sharded run's final map; empty for an unsharded run. */
  public static Optional<ShardLayout> last(List<Fault> faults) {
    List<Seen> seen = seenIn(faults);
    return seen.isEmpty() ? Optional.empty() : Optional.of(seen.get(seen.size() - 1).layout());
  }

  /** A map and when the harness saw it (nanoseconds since the run began). */
  public record Seen(long nanos, ShardLayout layout) {}

  /** The name of node {@code i} (from 1) of shard {@code shard}: {@code s1n2}. */
  public static String nodeName(String shard, int i) {
    return shard + "n" + i;
  }

  /** The shard of a node named by {@link #nodeName}; null for any other name ({@code n1}). */
  public static String shardOfNode(String node) {
    Matcher m = NODE.matcher(node);
    return m.matches() ? m.group(1) : null;
  }

  private static String quote(byte[] key) {
    if (key == null) {
      return "-";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : key) {
      int c = b & 0xff;
      if ((c < 0x80 && Character.isLetterOrDigit(c)) || "_.:/-".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
      }
    }
    return sb.append('"').toString();
  }

  private static byte[] unquote(String quoted) {
    String s = quoted.substring(1, quoted.length() - 1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        out.write(HexFormat.fromHexDigits(s, i + 2, i + 4));
        i += 3;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }
}

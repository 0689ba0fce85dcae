package io.kevo.chaos.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The nemeses by name, as the command line names them, and which cluster each needs: {@code
 * failover} (the operator's manual promote) only without a coordinator, the coordinator's faults
 * ({@link #COORDINATOR}) only with one; the shards' faults ({@link #SHARDED}) only in a sharded
 * cluster, which in turn runs neither {@code failover} nor {@code large-writes} ({@link
 * #ONE_GROUP}: they act on the one primary of an unsharded cluster). The others work everywhere.
 */
public final class Nemeses {
  private static final Map<String, Supplier<Nemesis>> ALL = new LinkedHashMap<>();

  /** The nemeses that need a coordinated cluster: they fault ZooKeeper or a node's session. */
  public static final Set<String> COORDINATOR = Set.of("zk-restart", "zk-cut", "session-expire");

  /** The nemeses that need a cluster without a coordinator: the manual failover. */
  public static final Set<String> MANUAL = Set.of("failover");

  /** The nemeses that need a sharded cluster ({@code --shards}): they split and cut shards. */
  public static final Set<String> SHARDED = Set.of("split-kill", "shard-zk-cut");

  /** The nemeses that need an unsharded cluster: they act on its one primary. */
  public static final Set<String> ONE_GROUP = Set.of("failover", "large-writes");

  static {
    ALL.put("kill", KillNemesis::new);
    ALL.put("pause", PauseNemesis::new);
    ALL.put("partition", PartitionNemesis::new);
    ALL.put("slow", SlowNemesis::new);
    ALL.put("large-writes", LargeWritesNemesis::new);
    ALL.put("failover", FailoverNemesis::new);
    ALL.put("zk-restart", ZooKeeperRestartNemesis::new);
    ALL.put("zk-cut", ZooKeeperCutNemesis::new);
    ALL.put("session-expire", SessionExpireNemesis::new);
    ALL.put("split-kill", SplitKillNemesis::new);
    ALL.put("shard-zk-cut", ShardZooKeeperCutNemesis::new);
  }

  private Nemeses() {}

  /** Every name, in a stable order. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /**
   * The nemeses named.
   *
   * @throws IllegalArgumentException naming the unknown one and the known ones
   */
  public static List<Nemesis> named(List<String> names) {
    List<Nemesis> out = new ArrayList<>();
    for (String n : names) {
      Supplier<Nemesis> s = ALL.get(n.trim());
      if (s == null) {
        throw new IllegalArgumentException(
            "unknown nemesis '" + n + "'; known: " + String.join(", ", ALL.keySet()));
      }
      out.add(s.get());
    }
    return out;
  }

  /** Whether any of {@code names} needs a coordinated cluster (a sharded one is coordinated). */
  public static boolean needCoordinator(List<String> names) {
    return names.stream()
        .map(String::trim)
        .anyMatch(n -> COORDINATOR.contains(n) || SHARDED.contains(n));
  }

  /**
   * Checks that every nemesis named works in an unsharded cluster in the failover mode asked for.
   *
   * @throws IllegalArgumentException naming the first that does not, and why
   */
  public static void checkMode(List<String> names, boolean coordinated) {
    checkMode(names, coordinated, false);
  }

  /**
   * Checks that every nemesis named works in the cluster asked for: coordinated or not, sharded or
   * not.
   *
   * @throws IllegalArgumentException naming the first that does not, and why
   */
  public static void checkMode(List<String> names, boolean coordinated, boolean sharded) {
    for (String n : names) {
      String name = n.trim();
      if (sharded && ONE_GROUP.contains(name)) {
        throw new IllegalArgumentException(
            "nemesis '"
                + name
                + "' acts on the one primary of an unsharded cluster: not with --shards");
      }
      if (!sharded && SHARDED.contains(name)) {
        throw new IllegalArgumentException(
            "nemesis '" + name + "' acts on shards: it needs --shards N (and --failover auto)");
      }
      if (coordinated && MANUAL.contains(name)) {
        throw new IllegalArgumentException(
            "nemesis '"
                + name
                + "' promotes by hand: it needs --failover manual (with --failover auto, kill"
                + " fails the primary over automatically)");
      }
      if (!coordinated && COORDINATOR.contains(name)) {
        throw new IllegalArgumentException(
            "nemesis '" + name + "' faults the coordinator: it needs --failover auto");
      }
    }
  }
}

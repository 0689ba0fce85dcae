package io.kevo.chaos.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The nemeses by name, as the command line names them, and which failover mode each needs: {@code
 * failover} (the operator's manual promote) only without a coordinator, the coordinator's faults
 * ({@link #COORDINATOR}) only with one; the others work in both.
 */
public final class Nemeses {
  private static final Map<String, Supplier<Nemesis>> ALL = new LinkedHashMap<>();

  /** The nemeses that need a coordinated cluster: they fault ZooKeeper or a node's session. */
  public static final Set<String> COORDINATOR = Set.of("zk-restart", "zk-cut", "session-expire");

  /** The nemeses that need a cluster without a coordinator: the manual failover. */
  public static final Set<String> MANUAL = Set.of("failover");

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

  /** Whether any of {@code names} needs a coordinated cluster. */
  public static boolean needCoordinator(List<String> names) {
    return names.stream().map(String::trim).anyMatch(COORDINATOR::contains);
  }

  /**
   * Checks that every nemesis named works in the failover mode asked for.
   *
   * @throws IllegalArgumentException naming the first that does not, and why
   */
  public static void checkMode(List<String> names, boolean coordinated) {
    for (String n : names) {
      String name = n.trim();
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

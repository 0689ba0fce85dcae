package io.kevo.chaos.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The nemeses by name, as the command line names them. */
public final class Nemeses {
  private static final Map<String, Supplier<Nemesis>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("kill", KillNemesis::new);
    ALL.put("pause", PauseNemesis::new);
    ALL.put("partition", PartitionNemesis::new);
    ALL.put("slow", SlowNemesis::new);
    ALL.put("large-writes", LargeWritesNemesis::new);
    ALL.put("failover", FailoverNemesis::new);
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
}

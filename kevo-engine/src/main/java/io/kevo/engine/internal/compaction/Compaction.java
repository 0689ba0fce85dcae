package io.kevo.engine.internal.compaction;

import io.kevo.engine.internal.version.TableFile;
import java.util.ArrayList;
import java.util.List;

/**
 * A planned compaction: {@code inputs} from {@code level} merged with the overlapping {@code
 * nextInputs} of {@code outputLevel}, written to {@code outputLevel} — the next level, or for a
 * manual compaction of the deepest data in a range, the same level (a rewrite that drops what
 * nobody can see).
 */
record Compaction(
    int level,
    int outputLevel,
    List<TableFile> inputs,
    List<TableFile> nextInputs,
    boolean manual,
    String reason) {

  /**
   * A single file with nothing under it in the next level is relisted one level down instead of
   * rewritten. From L0 only when it is the only L0 file: L0 files may overlap, and a newer file
   * moved below an older one would be read after it. Never for manual compactions, whose point is
   * to rewrite.
   */
  boolean isTrivialMove(int l0Files) {
    return !manual
        && outputLevel == level + 1
        && inputs.size() == 1
        && nextInputs.isEmpty()
        && (level > 0 || l0Files == 1);
  }

  List<TableFile> allInputs() {
    List<TableFile> all = new ArrayList<>(inputs);
    all.addAll(nextInputs);
    return all;
  }

  long inputBytes() {
    long sum = 0;
    for (TableFile f : allInputs()) {
      sum += f.meta().size();
    }
    return sum;
  }
}

package io.kevo.chaos.nemesis;

import io.kevo.chaos.history.Fault;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * One kind of fault. A nemesis injects one fault, holds it, heals it, and says what it did; the
 * {@link NemesisSchedule} runs them one at a time, so a nemesis may assume every other fault is
 * healed when it starts. Implementations are stateless between runs.
 */
public interface Nemesis {
  /** Its name on the command line and in the history: {@code kill}, {@code pause}... */
  String kind();

  /**
   * Injects the fault, holds it about {@code hold}, heals it.
   *
   * @return the fault window, for the history
   * @throws Exception when the fault could not be injected or healed; the run reports it and heals
   *     everything before it checks the history
   */
  Fault run(NemesisContext ctx, SplittableRandom random, Duration hold) throws Exception;
}

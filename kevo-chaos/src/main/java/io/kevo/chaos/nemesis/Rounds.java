package io.kevo.chaos.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deals items in rounds: each item once per round, every round in a new order drawn from its own
 * random stream. Not thread-safe.
 *
 * @param <T> the items
 */
final class Rounds<T> {
  private final List<T> items;
  private final SplittableRandom random;
  private final List<T> left = new ArrayList<>();

  Rounds(List<T> items, SplittableRandom random) {
    this.items = List.copyOf(items);
    this.random = random;
  }

  /** The next item of this round; the first of a newly shuffled round once this one is done. */
  T next() {
    if (items.isEmpty()) {
      throw new IllegalStateException("no items to deal");
    }
    if (left.isEmpty()) {
      left.addAll(items);
      for (int i = left.size() - 1; i > 0; i--) {
        Collections.swap(left, i, random.nextInt(i + 1));
      }
    }
    return left.remove(left.size() - 1);
  }
}

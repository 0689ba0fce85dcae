package io.kevo.engine.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Without waiting (timeout zero), the lock table behaves as a map from key to holder: a lock is
 * granted exactly when the key is free or already the caller's, refused with {@code LOCK_TIMEOUT}
 * otherwise, and a release frees exactly the releaser's keys.
 */
class LockManagerPropertyTest {
  private static final int OWNERS = 4;

  /**
   * @param steps each step: {@code owner * 100 + key} to lock, or a negative {@code -(owner + 1)}
   *     to release all of an owner's locks
   */
  @Property(tries = 300)
  void zeroTimeoutLocksMatchASimpleModel(
      @ForAll @Size(max = 80)
          List<@IntRange(min = -OWNERS, max = OWNERS * 100 - 95) Integer> steps) {
    LockManager locks = new LockManager();
    LockOwner[] owners = new LockOwner[OWNERS];
    for (int i = 0; i < OWNERS; i++) {
      owners[i] = locks.owner(i);
    }
    Map<Integer, Integer> model = new HashMap<>(); // key -> owner
    for (int step : steps) {
      if (step < 0) {
        int o = -step - 1;
        locks.releaseAll(owners[o]);
        model.values().removeIf(holder -> holder == o);
      } else {
        int o = step / 100;
        int key = step % 100 % 5; // few keys, so owners collide
        Integer holder = model.get(key);
        try {
          boolean fresh = locks.lock(owners[o], new byte[] {(byte) key}, 0);
          assertThat(holder).as("granted only if free or mine").isIn(null, o);
          assertThat(fresh).isEqualTo(holder == null);
          model.put(key, o);
        } catch (KevoException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
          assertThat(holder).as("refused only if another holds it").isNotNull().isNotEqualTo(o);
        }
      }
      assertThat(locks.lockedKeys()).isEqualTo(model.size());
      assertThat(locks.waiting()).isZero();
    }
    Set<Integer> holders = new HashSet<>(model.values());
    for (int o : holders) {
      locks.releaseAll(owners[o]);
    }
    assertThat(locks.lockedKeys()).isZero();
  }
}

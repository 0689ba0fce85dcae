package io.kevo.engine.internal;

import io.kevo.engine.KevoDB;
import io.kevo.engine.internal.wal.Wal;
import java.lang.reflect.Field;

/** Test access to the engine internals behind a {@link KevoDB}. */
public final class DbCoreAccess {
  private DbCoreAccess() {}

  public static Wal wal(KevoDB db) throws ReflectiveOperationException {
    Field f = KevoDB.class.getDeclaredField("core");
    f.setAccessible(true);
    return ((DbCore) f.get(db)).walInternal();
  }

  /** Transactions waiting for a key lock in {@code db} now. */
  public static int lockWaiters(KevoDB db) throws ReflectiveOperationException {
    Field f = KevoDB.class.getDeclaredField("core");
    f.setAccessible(true);
    return ((DbCore) f.get(db)).keyLocks().waiting();
  }

  /** Keys locked by pessimistic transactions in {@code db} now. */
  public static int lockedKeys(KevoDB db) throws ReflectiveOperationException {
    Field f = KevoDB.class.getDeclaredField("core");
    f.setAccessible(true);
    return ((DbCore) f.get(db)).keyLocks().lockedKeys();
  }
}

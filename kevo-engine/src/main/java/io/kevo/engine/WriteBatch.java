package io.kevo.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Operations applied atomically by {@link KevoDB#write(WriteBatch, WriteOptions)}: after a crash
 * all of them are present or none. Each operation gets its own sequence number, in order. Not
 * thread-safe. The batch copies nothing: do not change an array after adding it.
 */
public final class WriteBatch {
  private final List<Op> ops = new ArrayList<>();
  private long byteSize;

  /** One operation of a batch. {@code value} is {@code null} for a delete. */
  public record Op(OpType type, byte[] key, byte[] value) {}

  public WriteBatch put(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ops.add(new Op(OpType.PUT, key, value));
    byteSize += key.length + value.length;
    return this;
  }

  public WriteBatch delete(byte[] key) {
    Objects.requireNonNull(key, "key");
    ops.add(new Op(OpType.DELETE, key, null));
    byteSize += key.length;
    return this;
  }

  /** Number of operations. */
  public int count() {
    return ops.size();
  }

  /** Sum of key and value lengths, in bytes. */
  public long byteSize() {
    return byteSize;
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** The operations in the order they were added (a read-only view). */
  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  public void clear() {
    ops.clear();
    byteSize = 0;
  }
}

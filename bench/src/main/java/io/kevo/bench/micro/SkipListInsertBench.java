package io.kevo.bench.micro;

import io.kevo.bench.workload.Keys;
import io.kevo.engine.internal.memtable.MemTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Inserts into the memtable's skiplist: random 16-byte keys, {@code valueSize}-byte values, into a
 * memtable that is replaced every {@value #PER_TABLE} inserts (as a flush would), so that the
 * measured depth stays that of a real memtable.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SkipListInsertBench {
  static final int PER_TABLE = 100_000;
  private static final long SEED = 20240501L;

  @Param({"100"})
  public int valueSize;

  private byte[][] keys;
  private byte[] value;
  private MemTable table;
  private long sequence;

  @Setup(Level.Trial)
  public void setUp() {
    keys = new byte[PER_TABLE][];
    for (int i = 0; i < PER_TABLE; i++) {
      keys[i] = Keys.random(SEED, 0, i, 16);
    }
    value = new byte[valueSize];
    table = new MemTable();
  }

  @Benchmark
  public MemTable insert() {
    int i = (int) (sequence % PER_TABLE);
    if (i == 0 && sequence > 0) {
      table = new MemTable();
    }
    table.add(keys[i], ++sequence, value);
    return table;
  }
}

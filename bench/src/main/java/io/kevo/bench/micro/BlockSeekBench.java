package io.kevo.bench.micro;

import io.kevo.bench.run.Dirs;
import io.kevo.bench.workload.Keys;
import io.kevo.engine.internal.sstable.BlockCache;
import io.kevo.engine.internal.sstable.TableGet;
import io.kevo.engine.internal.sstable.TableOptions;
import io.kevo.engine.internal.sstable.TableReader;
import io.kevo.engine.internal.sstable.TableStats;
import io.kevo.engine.internal.sstable.TableWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Point lookups of present keys in one table of {@code keys} sorted keys whose blocks all sit in
 * the block cache: the index seek and the data block's restart-point binary search and scan, with
 * no I/O. The table is written once per trial into a temporary directory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BlockSeekBench {
  private static final long SEED = 20240501L;

  @Param({"100000"})
  public int keys;

  private Path dir;
  private TableReader reader;
  private byte[][] sorted;
  private SplittableRandom random;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    sorted = new byte[keys][];
    for (int i = 0; i < keys; i++) {
      sorted[i] = Keys.random(SEED, 0, i, 16);
    }
    Arrays.sort(sorted, Arrays::compareUnsigned);
    dir = Files.createTempDirectory("kevo-micro-");
    Path file = dir.resolve("000001.sst");
    byte[] value = new byte[100];
    try (TableWriter w = TableWriter.create(file, TableOptions.DEFAULT)) {
      for (int i = 0; i < keys; i++) {
        w.add(sorted[i], i + 1, false, value);
      }
      w.finish();
    }
    reader = TableReader.open(file, 1, new BlockCache(256L << 20), new TableStats());
    random = new SplittableRandom(SEED);
    for (byte[] k : sorted) {
      reader.get(k, Long.MAX_VALUE); // every block into the cache
    }
  }

  @Benchmark
  public TableGet get() {
    return reader.get(sorted[random.nextInt(keys)], Long.MAX_VALUE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reader.close();
    Dirs.deleteRecursively(dir);
  }
}

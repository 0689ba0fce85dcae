package io.kevo.bench.micro;

import io.kevo.engine.OpType;
import io.kevo.engine.OperationPayload;
import io.kevo.engine.WalOperation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The WAL operation codec ({@link OperationPayload}, the format of PROTOCOL.md): encoding one put
 * of a 16-byte key and a {@code valueSize}-byte value, and decoding it back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {
  @Param({"100"})
  public int valueSize;

  private WalOperation op;
  private byte[] encoded;

  @Setup
  public void setUp() {
    byte[] key = new byte[16];
    byte[] value = new byte[valueSize];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    op = new WalOperation(OpType.PUT, 42, key, value);
    encoded = OperationPayload.encode(op);
  }

  @Benchmark
  public byte[] encode() {
    return OperationPayload.encode(op);
  }

  @Benchmark
  public WalOperation decode() {
    return OperationPayload.decode(encoded, IllegalStateException::new);
  }
}

package io.kevo.bench.server;

import io.kevo.engine.KevoDB;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;
import java.util.SplittableRandom;

/**
 * A client of the embedded engine: the calls a server makes for each request, made directly on
 * {@link KevoDB} from the client's own thread ({@link WriteOptions#DEFAULT}: no sync). Blocking
 * only. Not thread-safe: one per client thread.
 */
final class EmbeddedCaller implements Caller {
  private final KevoDB db;
  private final RequestKind workload;
  private final KeyPlan keys;
  private final ValuePool values;
  private final int batchSize;
  private final SplittableRandom random;
  private byte[] key;
  private byte[] value;
  private WriteBatch batch;

  EmbeddedCaller(
      KevoDB db, RequestKind workload, KeyPlan keys, ValuePool values, int batchSize, long seed) {
    this.db = db;
    this.workload = workload;
    this.keys = keys;
    this.values = values;
    this.batchSize = batchSize;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void prepare() {
    switch (workload) {
      case GET -> key = keys.randomLoaded(random);
      case PUT -> {
        long i = keys.nextPut();
        key = keys.putKey(i);
        value = values.value(i);
      }
      case DELETE -> key = keys.nextDeleteKey();
      case BATCH -> {
        long first = keys.reserveBatch(batchSize);
        batch = new WriteBatch();
        for (int j = 0; j < batchSize; j++) {
          batch.put(keys.batchKey(first + j), values.value(first + j));
        }
      }
    }
  }

  @Override
  public boolean call() {
    switch (workload) {
      case GET -> {
        return db.get(key).isPresent();
      }
      case PUT -> db.put(key, value, WriteOptions.DEFAULT);
      case DELETE -> db.delete(key, WriteOptions.DEFAULT);
      case BATCH -> db.write(batch, WriteOptions.DEFAULT);
    }
    return true;
  }

  @Override
  public void call(Completion done) {
    throw new UnsupportedOperationException("the embedded engine is driven by blocking threads");
  }
}

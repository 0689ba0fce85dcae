package io.kevo.bench.server;

import io.kevo.engine.KevoDB;
import io.kevo.engine.WriteBatch;
import io.kevo.engine.WriteOptions;

/**
 * A client of the embedded engine: the calls a server makes for each request, made directly on
 * {@link KevoDB} from the client's own thread ({@link WriteOptions#DEFAULT}: no sync). Blocking
 * only. Not thread-safe: one per client thread.
 */
final class EmbeddedCaller implements Caller {
  private final KevoDB db;
  private final RequestDraw draw;
  private WriteBatch batch;

  EmbeddedCaller(KevoDB db, RequestDraw draw) {
    this.db = db;
    this.draw = draw;
  }

  @Override
  public void prepare() {
    if (draw.next() == RequestKind.BATCH) {
      batch = new WriteBatch();
      for (int j = 0; j < draw.batchSize(); j++) {
        batch.put(draw.batchKey(j), draw.batchValue(j));
      }
    }
  }

  @Override
  public boolean call() {
    switch (draw.workload()) {
      case GET -> {
        return db.get(draw.key()).isPresent();
      }
      case PUT -> db.put(draw.key(), draw.value(), WriteOptions.DEFAULT);
      case DELETE -> db.delete(draw.key(), WriteOptions.DEFAULT);
      case BATCH -> db.write(batch, WriteOptions.DEFAULT);
    }
    return true;
  }

  @Override
  public void call(Completion done) {
    throw new UnsupportedOperationException("the embedded engine is driven by blocking threads");
  }
}

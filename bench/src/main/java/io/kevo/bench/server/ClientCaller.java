package io.kevo.bench.server;

import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A client speaking through {@link KevoClient}, as an application would: per-call deadline, retries
 * of UNAVAILABLE, the client's own copies of keys and values. No sync. Not thread-safe: one per
 * client (the {@code KevoClient} itself is shared by the clients of one connection).
 */
final class ClientCaller implements Caller {
  private final KevoClient client;
  private final RequestDraw draw;
  private final BiConsumer<Optional<byte[]>, Throwable> onGet =
      (v, t) -> {
        if (t == null) {
          this.done.completed(v.isPresent());
        } else {
          this.done.failed(t);
        }
      };
  private final BiConsumer<Void, Throwable> onWrite =
      (v, t) -> {
        if (t == null) {
          this.done.completed(true);
        } else {
          this.done.failed(t);
        }
      };
  private List<Op> ops;
  private Completion done;

  ClientCaller(KevoClient client, RequestDraw draw) {
    this.client = client;
    this.draw = draw;
  }

  @Override
  public void prepare() {
    if (draw.next() == RequestKind.BATCH) {
      ops = new ArrayList<>(draw.batchSize());
      for (int j = 0; j < draw.batchSize(); j++) {
        ops.add(Op.put(draw.batchKey(j), draw.batchValue(j)));
      }
    }
  }

  @Override
  public boolean call() {
    switch (draw.workload()) {
      case GET -> {
        return client.get(draw.key()).isPresent();
      }
      case PUT -> client.put(draw.key(), draw.value(), false);
      case DELETE -> client.delete(draw.key(), false);
      case BATCH -> client.batch(ops, false);
    }
    return true;
  }

  @Override
  public void call(Completion completion) {
    done = completion;
    switch (draw.workload()) {
      case GET -> client.getAsync(draw.key()).whenComplete(onGet);
      case PUT -> client.putAsync(draw.key(), draw.value(), false).whenComplete(onWrite);
      case DELETE -> client.deleteAsync(draw.key(), false).whenComplete(onWrite);
      case BATCH -> client.batchAsync(ops, false).whenComplete(onWrite);
    }
  }
}

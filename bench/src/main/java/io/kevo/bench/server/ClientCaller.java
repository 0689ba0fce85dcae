package io.kevo.bench.server;

import io.kevo.client.KevoClient;
import io.kevo.client.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * A client speaking through {@link KevoClient}, as an application would: per-call deadline, retries
 * of UNAVAILABLE, the client's own copies of keys and values. No sync. Not thread-safe: one per
 * client (the {@code KevoClient} itself is shared by the clients of one connection).
 */
final class ClientCaller implements Caller {
  private final KevoClient client;
  private final RequestKind workload;
  private final KeyPlan keys;
  private final ValuePool values;
  private final int batchSize;
  private final SplittableRandom random;
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
  private byte[] key;
  private byte[] value;
  private List<Op> ops;
  private Completion done;

  ClientCaller(
      KevoClient client,
      RequestKind workload,
      KeyPlan keys,
      ValuePool values,
      int batchSize,
      long seed) {
    this.client = client;
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
        ops = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
          ops.add(Op.put(keys.batchKey(first + j), values.value(first + j)));
        }
      }
    }
  }

  @Override
  public boolean call() {
    switch (workload) {
      case GET -> {
        return client.get(key).isPresent();
      }
      case PUT -> client.put(key, value, false);
      case DELETE -> client.delete(key, false);
      case BATCH -> client.batch(ops, false);
    }
    return true;
  }

  @Override
  public void call(Completion completion) {
    done = completion;
    switch (workload) {
      case GET -> client.getAsync(key).whenComplete(onGet);
      case PUT -> client.putAsync(key, value, false).whenComplete(onWrite);
      case DELETE -> client.deleteAsync(key, false).whenComplete(onWrite);
      case BATCH -> client.batchAsync(ops, false).whenComplete(onWrite);
    }
  }
}

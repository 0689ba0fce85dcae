package io.kevo.engine;

/** A registered {@link WalListener}. Closing stops delivery; idempotent. */
public interface WalSubscription extends AutoCloseable {
  @Override
  void close();
}

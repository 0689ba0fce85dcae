package io.kevo.bench.server;

/**
 * One client's requests of one workload, made one at a time: {@link #prepare()} builds the next
 * request (keys, values, message; not timed), then {@link #call()} or {@link #call(Completion)}
 * sends it (timed). Not thread-safe: each client has its own, and an asynchronous client never has
 * two calls in flight.
 */
public interface Caller {
  /** Builds the next request. */
  void prepare();

  /**
   * Makes the prepared call and waits for it.
   *
   * @return whether a get found its key; true for writes
   * @throws RuntimeException if the call failed
   */
  boolean call();

  /**
   * Starts the prepared call; {@code done} hears of its end exactly once, on any thread.
   *
   * @throws UnsupportedOperationException where there is no asynchronous form (the engine)
   */
  void call(Completion done);

  /** Where an asynchronous call reports its end. */
  interface Completion {
    /** The call succeeded; {@code found} as {@link Caller#call()} returns it. */
    void completed(boolean found);

    void failed(Throwable failure);
  }
}

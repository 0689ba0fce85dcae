package io.kevo.server.auth;

import io.grpc.Status;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls refused for want of an identity or a role: counted, and logged at most once per identity
 * per minute (never a token: a token is named by its name in the auth file, an unknown one by the
 * address it came from). Thread-safe.
 */
public final class Denials {
  private static final Logger LOG = LoggerFactory.getLogger(Denials.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LongSupplier nanoTime;
  private final LongAdder unauthenticated = new LongAdder();
  private final LongAdder permissionDenied = new LongAdder();
  private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

  public Denials(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  void denied(String who, Status.Code code, String message) {
    (code == Status.Code.UNAUTHENTICATED ? unauthenticated : permissionDenied).increment();
    long now = nanoTime.getAsLong();
    if (lastLogged.size() > 10_000) {
      lastLogged.clear(); // many addresses probing: forget, rather than grow without bound
    }
    boolean[] log = {false};
    lastLogged.compute(
        who,
        (k, last) -> {
          if (last == null || now - last >= LOG_EVERY_NANOS) {
            log[0] = true;
            return now;
          }
          return last;
        });
    if (log[0]) {
      LOG.warn("refused {}: {} (logged once a minute per identity)", code, message);
    }
  }

  /** Calls refused UNAUTHENTICATED since the node started. */
  public long unauthenticated() {
    return unauthenticated.sum();
  }

  /** Calls refused PERMISSION_DENIED since the node started. */
  public long permissionDenied() {
    return permissionDenied.sum();
  }
}

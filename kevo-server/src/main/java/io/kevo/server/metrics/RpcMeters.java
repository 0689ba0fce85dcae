package io.kevo.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-RPC meters, fed by the server's call interceptor as each call ends:
 *
 * <ul>
 *   <li>{@code kevo_rpc_requests_total{method,code}}: calls by gRPC status code ({@code OK} too);
 *   <li>{@code kevo_rpc_errors_total{method,code}}: the calls among them that did not end {@code
 *       OK};
 *   <li>{@code kevo_rpc_duration_seconds{method}}: a latency histogram (arrival to close; for a
 *       stream, the whole stream), buckets from 100 µs to 30 s.
 * </ul>
 *
 * <p>Thread-safe: meters are created once per method and code and cached.
 */
public final class RpcMeters {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();

  public RpcMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Records one ended call.
   *
   * @param method the bare RPC name, e.g. {@code Get}
   * @param code the gRPC status code name it ended with, e.g. {@code OK}
   * @param nanos how long it ran
   */
  public void record(String method, String code, long nanos) {
    timers
        .computeIfAbsent(
            method,
            m ->
                Timer.builder("kevo.rpc.duration")
                    .description("Time from a call's arrival to its close, per RPC method")
                    .tag("method", m)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry))
        .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    String key = method + ' ' + code;
    requests
        .computeIfAbsent(
            key, k -> counter("kevo.rpc.requests", "Calls ended, by status code", method, code))
        .increment();
    if (!"OK".equals(code)) {
      errors
          .computeIfAbsent(
              key, k -> counter("kevo.rpc.errors", "Calls that did not end OK", method, code))
          .increment();
    }
  }

  private Counter counter(String name, String description, String method, String code) {
    return Counter.builder(name)
        .description(description)
        .tag("method", method)
        .tag("code", code)
        .register(registry);
  }
}

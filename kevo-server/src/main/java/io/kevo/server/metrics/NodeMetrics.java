package io.kevo.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kevo.engine.KevoDB;
import io.kevo.replication.primary.Primary;
import io.kevo.replication.replica.Replica;
import io.kevo.server.auth.Denials;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's meters and the HTTP endpoint that serves them: {@code GET /metrics} answers the
 * Prometheus text format (0.0.4) over plain HTTP, without authentication; anything else is 404 or
 * 405. The lifecycle follows the node's: {@link #create()} when the server is built (so that the
 * call interceptor can take {@link #rpc()}), {@link #bind} and {@link #listen} as it starts, {@link
 * #close()} as it stops.
 *
 * <p>Thread-safe. Scrapes run one at a time on the endpoint's own daemon thread.
 */
public final class NodeMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * What the meters read, all of it asked for at each scrape.
   *
   * @param role the node's role now, lower case
   * @param roles every role {@code role} may name
   * @param primary the node's primary now, or null
   * @param replica the node's replica now, or null
   * @param transactions client transaction counts by event ({@code begun}, then each way one ends:
   *     {@code committed}, {@code conflict}, {@code expired}...)
   */
  public record Sources(
      KevoDB db,
      Supplier<String> role,
      List<String> roles,
      Supplier<Primary> primary,
      Supplier<Replica> replica,
      Denials denials,
      Map<String, LongSupplier> transactions,
      IntSupplier transactionsOpen,
      IntSupplier scansOpen,
      LongSupplier bytesRead) {}

  private final PrometheusMeterRegistry registry;
  private final RpcMeters rpc;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  // Micrometer holds the objects its gauges and function counters read weakly: keep them here.
  private volatile Sources sources;
  private volatile EngineMeters engine;
  private volatile ReplicationMeters replication;
  private volatile HttpServer http;
  private volatile ExecutorService httpThread;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NodeMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.rpc = new RpcMeters(registry);
  }

  /** A registry with the JVM's meters and none of the node's yet; nothing listens. */
  public static NodeMetrics create() {
    NodeMetrics m = new NodeMetrics();
    // Two of ProcessorMetrics' meters break Prometheus's naming rules (promtool check metrics
    // objects): the CPU count ends in _count like a summary, the CPU time carries "ns" in its name.
    m.registry
        .config()
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().equals("system.cpu.count")
                        || id.getName().equals("process.cpu.time")));
    new JvmMemoryMetrics().bindTo(m.registry);
    m.gc.bindTo(m.registry);
    new JvmThreadMetrics().bindTo(m.registry);
    new ProcessorMetrics().bindTo(m.registry);
    return m;
  }

  /** Where the server's call interceptor records each call. */
  public RpcMeters rpc() {
    return rpc;
  }

  /** Registers the node's meters over {@code s}. Call once. */
  public void bind(Sources s) {
    EngineMeters e = new EngineMeters(s.db(), registry, System::nanoTime);
    e.bind();
    ReplicationMeters r = new ReplicationMeters(registry, s.primary(), s.replica(), s.role());
    r.bind(s.roles());
    FunctionCounter.builder("kevo.auth.denied", s.denials(), Denials::unauthenticated)
        .description("Calls refused for want of an identity or a role")
        .tag("code", "UNAUTHENTICATED")
        .register(registry);
    FunctionCounter.builder("kevo.auth.denied", s.denials(), Denials::permissionDenied)
        .description("Calls refused for want of an identity or a role")
        .tag("code", "PERMISSION_DENIED")
        .register(registry);
    s.transactions().forEach(this::transactions);
    Gauge.builder("kevo.transactions.open", s.transactionsOpen(), IntSupplier::getAsInt)
        .description("Client transactions open now")
        .register(registry);
    Gauge.builder("kevo.scans.open", s.scansOpen(), IntSupplier::getAsInt)
        .description("Scans streaming now; each holds an open engine iterator")
        .register(registry);
    FunctionCounter.builder("kevo.rpc.read", s.bytesRead(), LongSupplier::getAsLong)
        .description("Key and value bytes returned to clients by reads")
        .baseUnit("bytes")
        .register(registry);
    this.sources = s;
    this.engine = e;
    this.replication = r;
  }

  private void transactions(String outcome, LongSupplier count) {
    FunctionCounter.builder("kevo.transactions", count, LongSupplier::getAsLong)
        .description(
            "Client transactions begun, and ended by how (committed, conflict, expired...)")
        .tag("event", outcome)
        .register(registry);
  }

  /**
   * Starts serving {@code /metrics} on {@code host:port} (0: a free port, see {@link #port()}).
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public void listen(String host, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kevo-metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(thread);
    server.createContext("/metrics", this::handle);
    server.start();
    this.http = server;
    this.httpThread = thread;
    LOG.info("serving Prometheus metrics on http://{}:{}/metrics", host, port());
    if (!server.getAddress().getAddress().isLoopbackAddress()) {
      LOG.warn(
          "the metrics endpoint {}:{} has no authentication nor TLS: keep it on a network only"
              + " your Prometheus reaches",
          host,
          port());
    }
  }

  /** The port the endpoint is bound to, or -1 before {@link #listen}. */
  public int port() {
    HttpServer s = http;
    return s == null ? -1 : s.getAddress().getPort();
  }

  /** The exposition as a scrape would see it. */
  public String scrape() {
    EngineMeters e = engine;
    if (e != null) {
      e.refresh();
    }
    ReplicationMeters r = replication;
    if (r != null) {
      r.refresh();
    }
    return registry.scrape();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try {
        body = scrape().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        LOG.warn("metrics scrape failed", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops the endpoint and the JVM meters' listeners. Idempotent; throws nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    HttpServer s = http;
    if (s != null) {
      s.stop(0);
      httpThread.shutdownNow();
    }
    gc.close();
    registry.close();
  }
}

package io.kevo.chaos.cluster;

import io.kevo.chaos.workload.NodeChannels;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.wire.ReplicationStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the primary of a coordinated cluster, where the nodes elect it and the harness only
 * watches: every {@value #POLL_MILLIS} ms it asks every node at once ({@code GetNodeInfo}, on the
 * node's own port, not through its proxy, so a cut link does not blind the harness) and takes the
 * node that reports the primary role in the highest epoch. The answer only moves forward: a node
 * reporting the primary role in an epoch no higher than the one known (a deposed primary that has
 * not noticed yet, after a pause or a cut) never takes the role back in the harness's eyes, so
 * clients never return to it.
 *
 * <p>Each change is passed to a listener (the run records it as an {@code elected} fault). Thread-
 * safe: one thread of its own polls; {@link #primary()} may be read from any thread; {@link
 * #close()} stops the thread and the channels.
 */
public final class PrimaryTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryTracker.class);
  static final long POLL_MILLIS = 100;
  private static final long DEADLINE_MILLIS = 500;

  /** The primary moved from {@code from} (null at the first election) to {@code to}. */
  public record Change(String from, long fromEpoch, String to, long epoch) {
    /** As the history's fault detail says it. */
    public String describe() {
      return from == null
          ? to + " elected primary in epoch " + epoch
          : to + " primary in epoch " + epoch + " (was " + from + " in epoch " + fromEpoch + ")";
    }
  }

  private final Map<String, String> addresses;
  private final Consumer<Change> listener;
  private final NodeChannels channels = new NodeChannels();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Known known = new Known(null, 0);

  private record Known(String node, long epoch) {}

  /**
   * @param addresses each node's own address (not its proxy's), by name
   * @param listener hears each change, on the tracker's thread
   */
  public PrimaryTracker(Map<String, String> addresses, Consumer<Change> listener) {
    this.addresses = Map.copyOf(addresses);
    this.listener = listener;
    this.thread = new Thread(this::loop, "chaos-primary-tracker");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** The primary's name, or null before the first election was seen. */
  public String primary() {
    return known.node();
  }

  /** The epoch of {@link #primary()}, 0 before the first election was seen. */
  public long epoch() {
    return known.epoch();
  }

  /** Waits until a primary is known; false if none within {@code within}. */
  public boolean awaitPrimary(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (primary() == null && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MILLIS);
    }
    return primary() != null;
  }

  private void loop() {
    while (running) {
      try {
        pollOnce();
      } catch (RuntimeException e) {
        LOG.warn("polling the nodes' roles failed", e);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Asks every node at once; moves to a node reporting the primary role in a higher epoch. */
  void pollOnce() {
    Map<String, Future<GetNodeInfoResponse>> asked = new LinkedHashMap<>();
    addresses.forEach(
        (name, address) ->
            asked.put(
                name,
                KevoServiceGrpc.newFutureStub(channels.channel(address))
                    .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .getNodeInfo(GetNodeInfoRequest.getDefaultInstance())));
    Map<String, Long> primaries = new LinkedHashMap<>();
    asked.forEach(
        (name, future) -> {
          try {
            GetNodeInfoResponse r = future.get();
            if ("PRIMARY".equals(r.getNodeRole().name())) {
              primaries.put(name, ReplicationStatus.of(r).epoch().map(e -> e.number()).orElse(0L));
            }
          } catch (ExecutionException e) {
            channels.reconnectSoon(addresses.get(name)); // down, paused or starting
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
          }
        });
    primaries.forEach(this::offer);
  }

  /** Takes {@code node} as the primary if its {@code epoch} is higher than the known one's. */
  synchronized void offer(String node, long epoch) {
    Known was = known;
    if (epoch <= was.epoch() && was.node() != null) {
      return;
    }
    known = new Known(node, epoch);
    Change c = new Change(was.node(), was.epoch(), node, epoch);
    LOG.info("primary: {}", c.describe());
    listener.accept(c);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channels.close();
  }
}

package io.kevo.bench.replication;

import io.grpc.ManagedChannel;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.bench.server.RemoteApi;
import io.kevo.bench.server.ServerProcess;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.replication.CompressionCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The nodes of one measurement, each a {@code server-node} child JVM ({@link ServerProcess}, a
 * kevo-testkit node process) on {@code 127.0.0.1} with a fresh data directory: a standalone node,
 * or a primary and its replicas (started after it, pointed at its address, all asking for one
 * codec). Reads each node's {@code GetNodeInfo} over a channel of its own (apart from the
 * writers'). Replicas can be stopped and started again on their directory. Used by one thread;
 * {@link #close()} stops every node and throws nothing.
 */
final class Cluster implements AutoCloseable {
  private static final long INFO_DEADLINE_SECONDS = 10;
  private static final long CONNECT_TIMEOUT_MS = 60_000;

  /** One node: its child JVM (null while stopped) and an admin channel to it. */
  static final class Node {
    final String name;
    final Path dir;
    final List<String> nodeArgs;
    final List<String> extraJvmArgs;
    final Consumer<String> outputLines;
    ServerProcess process;
    ManagedChannel channel;

    /**
     * @param dir the node's directory: its log, and its database in {@code db}
     * @param extraJvmArgs JVM options of this node only, after the cluster's
     * @param outputLines hears the node's output line by line; null: only logged
     */
    Node(
        String name,
        Path dir,
        List<String> nodeArgs,
        List<String> extraJvmArgs,
        Consumer<String> outputLines) {
      this.name = name;
      this.dir = dir;
      this.nodeArgs = List.copyOf(nodeArgs);
      this.extraJvmArgs = List.copyOf(extraJvmArgs);
      this.outputLines = outputLines;
    }

    int port() {
      return process.port();
    }

    /** The node's {@code GetNodeInfo} now. */
    NodeFigures info() {
      return new NodeFigures(
          KevoServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(INFO_DEADLINE_SECONDS, TimeUnit.SECONDS)
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    }

    /** The last sequence this node applied (its own writes' for a primary or standalone node). */
    long applied() {
      return info().applied();
    }

    OptionalLong cpuNanos() {
      return process == null ? OptionalLong.empty() : process.cpuNanos();
    }

    OptionalLong compilerNanos() {
      return process == null ? OptionalLong.empty() : ProcessCpu.compilerNanos(process.pid());
    }
  }

  /** The name of each replica of {@link #replicated}: this and its number from 1. */
  static final String REPLICA_PREFIX = "replica";

  private final String heap;
  private final BiFunction<String, String, List<String>> jvmArgs;
  private final String run;
  private final Node primary;
  private final List<Node> replicas = new ArrayList<>();

  /**
   * @param jvmArgs (node name, run label) to the extra JVM options of that node
   */
  private Cluster(
      String heap, BiFunction<String, String, List<String>> jvmArgs, String run, Node primary) {
    this.heap = heap;
    this.jvmArgs = jvmArgs;
    this.run = run;
    this.primary = primary;
  }

  /** A standalone node in {@code base/standalone}. */
  static Cluster standalone(
      Path base, String heap, BiFunction<String, String, List<String>> jvmArgs, String run) {
    Node node =
        new Node(
            "standalone",
            base.resolve("standalone"),
            List.of("--role=STANDALONE"),
            List.of(),
            null);
    Cluster c = new Cluster(heap, jvmArgs, run, node);
    c.startOrClose(node);
    return c;
  }

  /**
   * A primary in {@code base/primary} and {@code replicas} replicas in {@code base/replica<n>}
   * asking for {@code codec}; returns once the primary lists every replica as connected.
   */
  static Cluster replicated(
      Path base,
      int replicas,
      CompressionCodec codec,
      String heap,
      BiFunction<String, String, List<String>> jvmArgs,
      String run) {
    Node p =
        new Node("primary", base.resolve("primary"), List.of("--role=PRIMARY"), List.of(), null);
    Cluster c = new Cluster(heap, jvmArgs, run, p);
    c.startOrClose(p);
    for (int i = 1; i <= replicas; i++) {
      String name = REPLICA_PREFIX + i;
      Node r = c.replicaNode(name, base.resolve(name), codec, List.of(), null);
      c.replicas.add(r);
      c.startOrClose(r);
    }
    try {
      c.awaitConnected(replicas);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private Node replicaNode(
      String name,
      Path dir,
      CompressionCodec codec,
      List<String> extraJvmArgs,
      Consumer<String> outputLines) {
    return new Node(
        name,
        dir,
        List.of(
            "--role=REPLICA", "--primary=127.0.0.1:" + primary.port(), "--codec=" + codec.name()),
        extraJvmArgs,
        outputLines);
  }

  /**
   * Adds a replica of this cluster's primary on {@code dir} (created if missing) and starts its
   * JVM; returns once it serves clients (not once it is connected or caught up).
   *
   * @param extraJvmArgs JVM options of this replica only (e.g. a log level)
   * @param outputLines hears its output line by line; null: only logged
   */
  Node addReplica(
      String name,
      Path dir,
      CompressionCodec codec,
      List<String> extraJvmArgs,
      Consumer<String> outputLines) {
    Node r = replicaNode(name, dir, codec, extraJvmArgs, outputLines);
    replicas.add(r);
    start(r);
    return r;
  }

  private void startOrClose(Node n) {
    try {
      start(n);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts {@code n}'s JVM on its directory (created if missing) and opens its admin channel. */
  void start(Node n) {
    List<String> jvm = new ArrayList<>(jvmArgs.apply(n.name, run));
    jvm.addAll(n.extraJvmArgs);
    n.process =
        ServerProcess.start(
            n.name, n.dir, n.dir.resolve("db"), heap, jvm, n.nodeArgs, n.outputLines);
    n.channel = RemoteApi.channel("127.0.0.1", n.process.port());
  }

  /** Stops {@code n} cleanly (a replica syncs and acknowledges what it applied first). */
  void stop(Node n) {
    if (n.channel != null) {
      n.channel.shutdownNow();
      n.channel = null;
    }
    if (n.process != null) {
      n.process.close();
      n.process = null;
    }
  }

  Node primary() {
    return primary;
  }

  List<Node> replicas() {
    return replicas;
  }

  /** Every running node, primary first. */
  List<Node> nodes() {
    List<Node> all = new ArrayList<>();
    all.add(primary);
    for (Node r : replicas) {
      if (r.process != null) {
        all.add(r);
      }
    }
    return all;
  }

  /** The primary's last sequence. */
  long primaryLast() {
    return primary.info().lastSequence();
  }

  /** Waits until the primary lists {@code n} replicas as available. */
  private void awaitConnected(int n) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
    while (true) {
      long available = primary.info().availableReplicas();
      if (available >= n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + available + " of " + n + " replicas connected within a minute");
      }
      Sleep.millis(20);
    }
  }

  /**
   * Waits until every running replica has applied {@code sequence}, polling every millisecond.
   *
   * @return milliseconds waited
   * @throws IllegalStateException if that takes longer than {@code timeoutMs}
   */
  double awaitApplied(long sequence, long timeoutMs) {
    long start = System.nanoTime();
    for (Node r : replicas) {
      if (r.process == null) {
        continue;
      }
      while (r.applied() < sequence) {
        if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
          throw new IllegalStateException(
              r.name + " did not reach sequence " + sequence + " within " + timeoutMs + " ms");
        }
        Sleep.millis(1);
      }
    }
    return (System.nanoTime() - start) / 1e6;
  }

  /** CPU nanoseconds so far per running node, by name. */
  Map<String, OptionalLong> cpu() {
    Map<String, OptionalLong> m = new LinkedHashMap<>();
    for (Node n : nodes()) {
      m.put(n.name, n.cpuNanos());
    }
    return m;
  }

  /** CPU nanoseconds so far of each running node's JIT compiler threads, by name. */
  Map<String, OptionalLong> compilerCpu() {
    Map<String, OptionalLong> m = new LinkedHashMap<>();
    for (Node n : nodes()) {
      m.put(n.name, n.compilerNanos());
    }
    return m;
  }

  /** Replication traffic the primary has sent so far (zero for a standalone node). */
  Wire wire() {
    return primary.info().wire();
  }

  /**
   * What the primary's replication counters say.
   *
   * @param raw bytes of the entries as serialized before compression
   * @param wire serialized size of the responses sent (compressed where that paid)
   * @param entries WAL entries sent, summed over replicas
   */
  record Wire(long raw, long wire, long entries) {
    Wire minus(Wire before) {
      return new Wire(raw - before.raw, wire - before.wire, entries - before.entries);
    }
  }

  @Override
  public void close() {
    for (Node r : replicas) {
      stop(r);
    }
    stop(primary);
  }
}

package io.kevo.cli.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kevo.cli.DistributionProcess;
import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.ReadPreference;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import io.kevo.testkit.TcpProxy;
import io.kevo.wire.PrimarySide;
import io.kevo.wire.ReplicaSide;
import io.kevo.wire.ReplicationStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A primary and its replicas, each a {@code java -jar kevo-cli.jar server} process on 127.0.0.1
 * with a directory of its own under the test's directory, and a gRPC channel to each for reading
 * one node directly (raw {@code KevoServiceGrpc} stubs: a {@code KevoClient} routes reads by
 * topology, so it cannot be pointed at one replica). Nodes run with {@code --sync none} unless a
 * test asks otherwise: a SIGKILL loses nothing the process handed to the OS, and durability against
 * power loss is not what these tests are about.
 *
 * <p>{@link #close()} kills every process that is still running and closes every channel. Not
 * thread-safe: the test thread drives it (the per-node reads may be called from any thread).
 */
final class ReplicationCluster implements AutoCloseable {
  /** Every unary call to a node; a scan gets {@link #SCAN_DEADLINE}. */
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private static final Duration SCAN_DEADLINE = Duration.ofSeconds(60);

  /** How many scan messages {@link Node#contentDigest()} asks for at a time. */
  private static final int DIGEST_WINDOW = 1024;

  private final Path jar;
  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();

  ReplicationCluster(Path dir) {
    String property = System.getProperty("kevo.cli.jar");
    assertThat(property).as("system property kevo.cli.jar (set by kevo-cli/pom.xml)").isNotNull();
    this.jar = Path.of(property);
    assertThat(jar).isRegularFile();
    this.dir = dir;
  }

  /** Starts {@code kevo server --role primary --sync none} plus {@code extraArgs}. */
  Node startPrimary(String name, List<String> jvmOptions, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("--role", "primary"));
    args.addAll(withDefaultSync(extraArgs));
    return start(new Node(name, dir.resolve(name), jvmOptions, args));
  }

  Node startPrimary(String name) throws IOException {
    return startPrimary(name, List.of());
  }

  /**
   * Starts {@code kevo server --role replica --primary primaryAddress --sync none} plus {@code
   * extraArgs}; {@code primaryAddress} may be a {@link TcpProxy}'s.
   */
  Node startReplica(
      String name, String primaryAddress, List<String> jvmOptions, String... extraArgs)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--role", "replica", "--primary", primaryAddress));
    args.addAll(withDefaultSync(extraArgs));
    return start(new Node(name, dir.resolve(name), jvmOptions, args));
  }

  Node startReplica(String name, String primaryAddress) throws IOException {
    return startReplica(name, primaryAddress, List.of());
  }

  /**
   * Starts {@code kevo server} (a standalone node) with {@code --sync none} plus {@code extraArgs}.
   */
  Node startStandalone(String name, List<String> jvmOptions, String... extraArgs)
      throws IOException {
    return start(new Node(name, dir.resolve(name), jvmOptions, withDefaultSync(extraArgs)));
  }

  /**
   * Starts a node taking part in automatic failover: {@code kevo server --coordinator coordinator
   * --cluster cluster --node-id name --sync none} plus {@code extraArgs}; it starts as a replica
   * and the cluster elects its primary.
   */
  Node startMember(String name, String coordinator, String cluster, String... extraArgs)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("--coordinator", coordinator, "--cluster", cluster, "--node-id", name));
    args.addAll(withDefaultSync(extraArgs));
    return start(new Node(name, dir.resolve(name), List.of(), args));
  }

  private static List<String> withDefaultSync(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(extraArgs));
    if (!args.contains("--sync")) {
      args.addAll(List.of("--sync", "none"));
    }
    return args;
  }

  /**
   * Runs the one-shot command {@code kevo args...} (e.g. {@code promote HOST:PORT}) as a process,
   * in the test's directory, and waits (bounded) for it to exit.
   */
  DistributionProcess.ShellRun kevo(String... args) throws IOException, InterruptedException {
    return DistributionProcess.runCommand(jar, dir, args);
  }

  private Node start(Node node) throws IOException {
    nodes.add(node);
    node.launch("127.0.0.1:0");
    return node;
  }

  /**
   * Waits until every node's last sequence equals the primary's and stays so across two reads of
   * the primary's (the writes have stopped), and every node holds the same contents; fails with the
   * contents' digests if that does not happen within {@code within}.
   *
   * @return the primary's last sequence
   */
  long awaitConverged(Duration within, Node primary, Node... replicas) {
    long[] last = new long[1];
    Map<String, ContentDigest> digests = new LinkedHashMap<>();
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                long p = primary.lastSequence();
                for (Node r : replicas) {
                  if (r.lastSequence() != p) {
                    return false;
                  }
                }
                // Same last sequence; the contents too? A primary that reads only confirmed
                // writes (--replication-ack other than async) shows a write once a replica's
                // acknowledgement for it has come, a moment after the replica applied it.
                digests.clear();
                digests.put(primary.name, primary.contentDigest());
                for (Node r : replicas) {
                  digests.put(r.name, r.contentDigest());
                }
                last[0] = p;
                return primary.lastSequence() == p && new HashSet<>(digests.values()).size() == 1;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no convergence within "
              + within.toSeconds()
              + " s: primary at "
              + safeLastSequence(primary)
              + ", replicas "
              + describe(replicas)
              + "; contents when last at the same sequence: "
              + digests,
          e);
    }
    return last[0];
  }

  private static String safeLastSequence(Node n) {
    try {
      return Long.toString(n.lastSequence());
    } catch (RuntimeException e) {
      return "(unreachable: " + e.getMessage() + ")";
    }
  }

  private static String describe(Node... replicas) {
    List<String> out = new ArrayList<>();
    for (Node r : replicas) {
      try {
        out.add(r.name + " at " + r.lastSequence() + " " + r.info().getReplicationMap());
      } catch (RuntimeException e) {
        out.add(r.name + " unreachable: " + e.getMessage());
      }
    }
    return String.join("; ", out);
  }

  /** Kills every process still running and closes the channels. Throws nothing. */
  @Override
  public void close() {
    for (TcpProxy p : proxies) {
      p.close();
    }
    for (Node n : nodes) {
      n.close();
    }
  }

  /** A fault-injecting proxy to {@code target}'s port, closed with the cluster. */
  TcpProxy proxyTo(Node target) throws IOException {
    TcpProxy proxy = new TcpProxy("127.0.0.1", target.port());
    proxies.add(proxy);
    return proxy;
  }

  /** SHA-256 over every pair of a full scan (lengths included), and the number of pairs. */
  record ContentDigest(long pairs, String sha256) {}

  /**
   * Hashes a scan's pairs (each as its key and value lengths, key, value) as they arrive, asking
   * for the next window of messages when half of the last one has come.
   */
  private static final class ScanDigest
      implements ClientResponseObserver<ScanRequest, ScanResponse> {
    private final MessageDigest sha;
    private final ByteBuffer lengths = ByteBuffer.allocate(8);
    private final CompletableFuture<ContentDigest> done = new CompletableFuture<>();
    private ClientCallStreamObserver<ScanRequest> call;
    private long pairs;
    private int unasked;

    ScanDigest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ScanRequest> requestStream) {
      call = requestStream;
      call.disableAutoRequestWithInitial(DIGEST_WINDOW);
    }

    @Override
    public void onNext(ScanResponse r) {
      lengths.clear();
      lengths.putInt(r.getKey().size()).putInt(r.getValue().size());
      sha.update(lengths.array());
      sha.update(r.getKey().asReadOnlyByteBuffer());
      sha.update(r.getValue().asReadOnlyByteBuffer());
      pairs++;
      if (++unasked == DIGEST_WINDOW / 2) {
        call.request(unasked);
        unasked = 0;
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(new ContentDigest(pairs, HexFormat.of().formatHex(sha.digest())));
    }

    ContentDigest await(Duration within) throws InterruptedException {
      try {
        return done.get(within.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new IllegalStateException(e.getCause());
      } catch (TimeoutException e) {
        throw new AssertionError("no end of the scan within " + within.toSeconds() + " s", e);
      }
    }
  }

  /** One node: its directory and command line (to restart it), its process and a channel. */
  final class Node implements AutoCloseable {
    final String name;
    final Path data;
    private final List<String> jvmOptions;
    private List<String> serverArgs;
    private DistributionProcess.Server server;
    private ManagedChannel channel;
    private int starts;

    private Node(String name, Path data, List<String> jvmOptions, List<String> serverArgs) {
      this.name = name;
      this.data = data;
      this.jvmOptions = List.copyOf(jvmOptions);
      this.serverArgs = List.copyOf(serverArgs);
    }

    private void launch(String listen) throws IOException {
      starts++;
      server =
          DistributionProcess.startServer(jar, dir, data, name, listen, jvmOptions, serverArgs);
      if (channel == null) {
        channel =
            NettyChannelBuilder.forTarget(server.address())
                .usePlaintext()
                .maxInboundMessageSize(64 << 20)
                .build();
      }
    }

    /** {@code 127.0.0.1:PORT}: the same across restarts. */
    String address() {
      return server.address();
    }

    int port() {
      return server.port();
    }

    DistributionProcess.Server process() {
      return server;
    }

    /** SIGKILL, as a crash. */
    void kill() throws InterruptedException {
      server.kill();
    }

    /** SIGSTOP: the process stays, frozen, with its sockets open. */
    void pause() throws IOException, InterruptedException {
      io.kevo.testkit.Signals.send(server.pid(), "STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
      io.kevo.testkit.Signals.send(server.pid(), "CONT");
    }

    /** Starts it again on the same directory, command line and port. */
    void restart() throws IOException {
      assertThat(server.isAlive()).as("%s is still running", name).isFalse();
      launch(server.address());
    }

    /**
     * Starts it again on the same directory and port as {@code kevo server --role replica --primary
     * primaryAddress --sync none} plus {@code extraArgs}, whatever its role was: a former primary
     * rejoining after a failover. Later {@link #restart()}s keep this command line.
     */
    void restartAsReplicaOf(String primaryAddress, String... extraArgs) throws IOException {
      assertThat(server.isAlive()).as("%s is still running", name).isFalse();
      List<String> args =
          new ArrayList<>(List.of("--role", "replica", "--primary", primaryAddress));
      args.addAll(withDefaultSync(extraArgs));
      serverArgs = List.copyOf(args);
      launch(server.address());
    }

    /**
     * Starts it again on the same directory and port with exactly {@code args} as its server
     * arguments; later {@link #restart()}s keep them.
     */
    void restartWithArgs(String... args) throws IOException {
      assertThat(server.isAlive()).as("%s is still running", name).isFalse();
      serverArgs = List.of(args);
      launch(server.address());
    }

    /** How many times it was started. */
    int starts() {
      return starts;
    }

    /**
     * Options for a client of this node alone: it writes here and reads here, as from a primary.
     */
    ClientOptions.Builder clientOptions() {
      return ClientOptions.builder().endpoint(address()).readPreference(ReadPreference.PRIMARY);
    }

    /** A client with {@link #clientOptions()}; the caller closes it. */
    KevoClient client() {
      return KevoClient.connect(clientOptions().build());
    }

    /** The test's channel to this node (it reconnects across restarts on the same port). */
    ManagedChannel channel() {
      return channel;
    }

    KevoServiceGrpc.KevoServiceBlockingStub stub() {
      return KevoServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    GetNodeInfoResponse info() {
      return stub().getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    }

    long lastSequence() {
      return info().getLastSequence();
    }

    /** This node's own replication status (GetNodeInfo's replication map, typed). */
    ReplicationStatus status() {
      return ReplicationStatus.of(info());
    }

    /** A figure of this node as a primary, or -1 if it is not one now or did not report it. */
    long primaryFigure(Function<PrimarySide, OptionalLong> figure) {
      return status().primary().map(figure).orElse(OptionalLong.empty()).orElse(-1);
    }

    /** A figure of this node as a replica, or -1 if it is not one now or did not report it. */
    long replicaFigure(Function<ReplicaSide, OptionalLong> figure) {
      return status().replica().map(figure).orElse(OptionalLong.empty()).orElse(-1);
    }

    /** This node's own value of {@code key}. */
    Optional<byte[]> get(byte[] key) {
      GetResponse r =
          stub()
              .get(
                  GetRequest.newBuilder()
                      .setKey(com.google.protobuf.ByteString.copyFrom(key))
                      .build());
      return r.getFound() ? Optional.of(r.getValue().toByteArray()) : Optional.empty();
    }

    /** Every pair under {@code prefix} on this node, read from this node only. */
    Map<String, ByteString> scanPrefix(String prefix) {
      Map<String, ByteString> out = new HashMap<>();
      Iterator<ScanResponse> it =
          KevoServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(SCAN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .scan(ScanRequest.newBuilder().setPrefix(ByteString.copyFromUtf8(prefix)).build());
      while (it.hasNext()) {
        ScanResponse r = it.next();
        out.put(r.getKey().toStringUtf8(), r.getValue());
      }
      return out;
    }

    /**
     * A digest of this node's full scan, read from this node only. The stream is consumed on the
     * transport's own thread, asking for {@link #DIGEST_WINDOW} messages at a time: the blocking
     * stub hands every message between two threads, which on two loaded cores is ~60 us a pair, a
     * minute for a million.
     */
    ContentDigest contentDigest() {
      ScanDigest digest = new ScanDigest();
      ManagedChannel direct =
          NettyChannelBuilder.forTarget(server.address())
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(64 << 20)
              .build();
      try {
        KevoServiceGrpc.newStub(direct)
            .withDeadlineAfter(SCAN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .scan(ScanRequest.getDefaultInstance(), digest);
        return digest.await(SCAN_DEADLINE.plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted reading " + name + "'s contents", e);
      } finally {
        direct.shutdownNow();
      }
    }

    /** The last {@code n} log lines of every run so far, for a failure's message. */
    String logTail(int n) {
      List<String> lines = server.logText().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** The log lines of every run so far that contain {@code text}. */
    List<String> logLinesContaining(String text) {
      return server.logText().lines().filter(l -> l.contains(text)).collect(Collectors.toList());
    }

    @Override
    public void close() {
      if (channel != null) {
        channel.shutdownNow();
        try {
          channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (server != null) {
        server.close();
      }
    }

    @Override
    public String toString() {
      return name + "@" + (server == null ? "?" : server.address());
    }
  }
}

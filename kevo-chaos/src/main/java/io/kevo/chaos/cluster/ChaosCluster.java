package io.kevo.chaos.cluster;

import io.kevo.chaos.workload.Topology;
import io.kevo.testkit.KevoDistribution;
import io.kevo.testkit.NodeProcess;
import io.kevo.testkit.TcpProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary and its replicas, each a {@code kevo server} process on 127.0.0.1, with a
 * fault-injecting {@link TcpProxy} on every link: one in front of each node for its clients (the
 * address the node advertises, so redirects and topology name it too), and one for each replica's
 * connection to each node it may follow. Nodes keep their ports across restarts, so proxies never
 * need re-targeting.
 *
 * <p>The cluster knows which node is the primary because only it (through {@link #promote}) moves
 * the role; a node's role is also what it is restarted with.
 *
 * <p>Thread-safe: the nemesis thread changes it, client threads read the primary and the addresses.
 * {@link #close()} stops every process and proxy it started.
 */
public final class ChaosCluster implements Topology, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosCluster.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  private final KevoDistribution distribution;
  private final Path dir;
  private final ClusterSpec spec;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, TcpProxy> links = new LinkedHashMap<>(); // "from->to"
  private volatile String primary;
  private final java.util.Set<String> downOnPurpose = new java.util.HashSet<>();

  /** One node: its process and the proxy its clients go through. */
  public record Node(String name, NodeProcess process, TcpProxy clientProxy) {
    /** The address clients (and the node's own advertisement) use: its client proxy. */
    public String address() {
      return clientProxy.address();
    }
  }

  public ChaosCluster(KevoDistribution distribution, Path dir, ClusterSpec spec) {
    this.distribution = distribution;
    this.dir = dir;
    this.spec = spec;
  }

  /** Starts the primary {@code n1}, then replicas {@code n2...}, and waits until they stream. */
  public synchronized void start() throws IOException, InterruptedException {
    for (int i = 1; i <= spec.nodes(); i++) {
      String name = "n" + i;
      NodeProcess process =
          new NodeProcess(
              distribution,
              name,
              dir.resolve("logs"),
              dir.resolve("data").resolve(name),
              PortPicker.freePort(),
              spec.jvmOptions(),
              List.of());
      TcpProxy proxy = new TcpProxy("127.0.0.1", process.port());
      nodes.put(name, new Node(name, process, proxy));
    }
    primary = "n1";
    for (Node n : nodes.values()) {
      n.process().serverArgs(argsFor(n.name(), primary));
      n.process().start();
      LOG.info("started {} ({}) behind {}", n.name(), roleOf(n.name()), n.address());
    }
  }

  /** The server options of {@code name} when {@code primaryName} is the primary. */
  private List<String> argsFor(String name, String primaryName) throws IOException {
    List<String> args = new ArrayList<>(spec.serverArgs());
    args.addAll(List.of("--advertise", node(name).address()));
    if (name.equals(primaryName)) {
      args.addAll(List.of("--role", "primary"));
    } else {
      args.addAll(List.of("--role", "replica", "--primary", link(name, primaryName).address()));
    }
    return args;
  }

  /** The proxy a replica {@code from} connects to {@code to} through, created on first use. */
  public synchronized TcpProxy link(String from, String to) throws IOException {
    String key = from + "->" + to;
    TcpProxy p = links.get(key);
    if (p == null) {
      p = new TcpProxy("127.0.0.1", node(to).process().port());
      links.put(key, p);
    }
    return p;
  }

  /** Every replication link proxy created so far, by "from->to". */
  public synchronized Map<String, TcpProxy> links() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(links));
  }

  public synchronized Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node " + name);
    }
    return n;
  }

  public synchronized List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  /** A node drawn from {@code random}, any role. */
  public synchronized Node anyNode(java.util.SplittableRandom random) {
    List<Node> all = nodes();
    return all.get(random.nextInt(all.size()));
  }

  /** The name of the node that is the primary (the harness moves the role, so it knows). */
  @Override
  public String primary() {
    return primary;
  }

  @Override
  public synchronized List<String> replicas() {
    return nodes.keySet().stream().filter(n -> !n.equals(primary)).toList();
  }

  @Override
  public String address(String name) {
    return node(name).address();
  }

  public String roleOf(String name) {
    return name.equals(primary) ? "primary" : "replica";
  }

  /** SIGKILL of {@code name} by a nemesis: its death is expected until it is restarted. */
  public void kill(String name) throws InterruptedException {
    Node n;
    synchronized (this) {
      n = node(name);
      downOnPurpose.add(name);
    }
    n.process().kill();
  }

  /** Starts {@code name} again with its current role's options (after a kill). */
  public void restart(String name) throws IOException, InterruptedException {
    Node n;
    synchronized (this) {
      n = node(name);
      n.process().serverArgs(argsFor(name, primary));
    }
    n.process().start();
    synchronized (this) {
      downOnPurpose.remove(name);
    }
  }

  /**
   * The nodes that exited although nobody killed them (a crash, an exit on an error), with their
   * exit status, by name. A supervisor would restart them; the caller decides.
   */
  public synchronized Map<String, Integer> unexpectedExits() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Node n : nodes.values()) {
      int status = n.process().exitStatus();
      if (status >= 0 && !downOnPurpose.contains(n.name())) {
        out.put(n.name(), status);
      }
    }
    return out;
  }

  /**
   * Manual failover with the real commands: {@code kevo promote} on {@code newPrimary}, then {@code
   * kevo repoint} of every other running replica at it (through its link proxy). The old primary
   * must be down or cut off; it is restarted later as a replica of the new one.
   *
   * @return what {@code kevo promote} printed
   * @throws IllegalStateException if a command fails
   */
  public String promote(String newPrimary) throws IOException, InterruptedException {
    String old;
    synchronized (this) {
      old = primary;
    }
    KevoDistribution.CommandRun promoted =
        distribution.run(
            dir.resolve("admin"), ADMIN_TIMEOUT, "promote", node(newPrimary).address());
    if (promoted.status() != 0) {
      throw new IllegalStateException(
          "kevo promote " + newPrimary + " failed: " + promoted.err().strip());
    }
    synchronized (this) {
      primary = newPrimary;
    }
    for (Node n : nodes()) {
      if (n.name().equals(newPrimary) || n.name().equals(old) || !n.process().alive()) {
        continue;
      }
      KevoDistribution.CommandRun repointed =
          distribution.run(
              dir.resolve("admin"),
              ADMIN_TIMEOUT,
              "repoint",
              n.address(),
              "--primary",
              link(n.name(), newPrimary).address());
      if (repointed.status() != 0) {
        LOG.warn("kevo repoint {} failed: {}", n.name(), repointed.err().strip());
      }
    }
    synchronized (this) {
      for (Node n : nodes.values()) {
        n.process().serverArgs(argsFor(n.name(), newPrimary));
      }
    }
    return promoted.out().strip();
  }

  /**
   * Every proxy back to passing bytes; every paused process resumed; every dead one started.
   *
   * @return the nodes that could not be started, with why (e.g. the database refused to open)
   */
  public Map<String, String> healAll() throws IOException, InterruptedException {
    for (Node n : nodes()) {
      n.clientProxy().mode(TcpProxy.Mode.PASS);
      n.process().resume();
    }
    for (TcpProxy p : links().values()) {
      p.mode(TcpProxy.Mode.PASS);
    }
    Map<String, String> failed = new LinkedHashMap<>();
    for (Node n : nodes()) {
      if (!n.process().alive()) {
        try {
          restart(n.name());
        } catch (IllegalStateException e) {
          LOG.error("{} cannot be started again: {}", n.name(), e.getMessage());
          failed.put(n.name(), e.getMessage());
        }
      }
    }
    return failed;
  }

  @Override
  public synchronized void close() {
    for (Node n : nodes.values()) {
      n.process().close();
      n.clientProxy().close();
    }
    for (TcpProxy p : links.values()) {
      p.close();
    }
  }
}

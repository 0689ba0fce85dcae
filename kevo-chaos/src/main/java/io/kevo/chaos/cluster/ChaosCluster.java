package io.kevo.chaos.cluster;

import io.kevo.chaos.history.ShardLayout;
import io.kevo.chaos.workload.Topology;
import io.kevo.coordination.ShardMap;
import io.kevo.testkit.KeptPorts;
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
 * <p>Without a coordinator the cluster knows which node is the primary because only it (through
 * {@link #promote}) moves the role; a node's role is also what it is restarted with.
 *
 * <p>With a coordinator ({@link ClusterSpec#coordinated()}) the cluster runs a ZooKeeper ({@link
 * ZooKeeperHost}), every node starts as a replica with {@code --coordinator} (through a proxy of
 * its own, so one node can be cut off from ZooKeeper alone), {@code --cluster} and {@code
 * --node-id}, and the nodes elect the primary and fail over by themselves. The cluster then only
 * watches who the primary is ({@link PrimaryTracker}); a node restarts with the command line it
 * started with. Nodes follow the primary at the address it advertises, its client proxy: there are
 * no per-pair replication links in this mode, so a fault on a node's client proxy also cuts or
 * slows the replicas streaming from it.
 *
 * <p>A sharded cluster ({@link ClusterSpec#sharded()}, always coordinated) runs a replication group
 * per shard: its first shard map is written by the harness before any node starts ({@link
 * ShardMapFollower}, which then follows the map), each shard's nodes are named {@code s1n1}, {@code
 * s1n2}... ({@link ShardLayout#nodeName}) and started with {@code --shard}, and each group has a
 * {@link PrimaryTracker} of its own. A split's new shard gets its nodes from {@link #addShard}.
 * Clients route a key by the map the harness follows ({@link #primaryFor}); nemeses act on a group
 * through {@link #primaryOf}, {@link #membersOf} and {@link #anyPrimary}. The one-group methods
 * ({@link #primary()}, {@link #replicas()}, {@link #primaryEpoch()}) refuse a sharded cluster,
 * which has no one primary.
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
  private final java.util.Set<String> downOnPurpose = new java.util.HashSet<>();
  private ZooKeeperHost zooKeeper;
  private final Primaries primaries = new Primaries();
  private volatile ShardMapFollower shardMap;
  private java.util.function.Consumer<PrimaryTracker.Change> onPrimaryChange = c -> {};
  private java.util.function.Consumer<ShardMap> onShardMap = m -> {};

  /** The name of the one replication group of an unsharded cluster. */
  public static final String ONE_GROUP = "";

  /** The ZooKeeper session timeout of coordinated nodes. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

  /**
   * The least time between two automatic failovers: shorter than the server's default (10 s) so
   * that a run of a few minutes, a fault every few seconds, sees many failovers.
   */
  public static final Duration FAILOVER_MIN_INTERVAL = Duration.ofSeconds(3);

  /** The name coordinated nodes give their cluster. */
  public static final String CLUSTER_NAME = "chaos";

  /**
   * One node: its replication group ({@link #ONE_GROUP}, or its shard's id), its process and the
   * proxy its clients go through.
   */
  public record Node(String name, String group, NodeProcess process, TcpProxy clientProxy) {
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

  /**
   * Hears each change of primary in a coordinated cluster (on the tracker's thread); set before
   * {@link #start()}.
   */
  public synchronized void onPrimaryChange(java.util.function.Consumer<PrimaryTracker.Change> l) {
    this.onPrimaryChange = l;
  }

  /**
   * Hears each shard map of a sharded cluster the harness sees, the first included (on a ZooKeeper
   * event thread or a nemesis's); set before {@link #start()}.
   */
  public synchronized void onShardMap(java.util.function.Consumer<ShardMap> l) {
    this.onShardMap = l;
  }

  /** Whether the cluster is sharded. */
  public boolean sharded() {
    return spec.sharded();
  }

  /** Whether the nodes elect their primary through a coordinator. */
  public boolean coordinated() {
    return spec.coordinated();
  }

  /** The coordinated cluster's ZooKeeper. */
  public synchronized ZooKeeperHost zooKeeper() {
    if (zooKeeper == null) {
      throw new IllegalStateException("the cluster runs without a coordinator");
    }
    return zooKeeper;
  }

  /**
   * Starts the nodes: without a coordinator the primary {@code n1}, then replicas {@code n2...};
   * with one, ZooKeeper (and in a sharded cluster its first shard map) and then every node, and
   * waits until each group elected a primary.
   */
  public void start() throws IOException, InterruptedException {
    startNodes();
    if (spec.coordinated()) {
      for (String group : groups()) {
        if (!primaries.await(group, ADMIN_TIMEOUT)) {
          throw new IllegalStateException(
              (group.isEmpty() ? "the nodes" : "shard " + group)
                  + " elected no primary within "
                  + ADMIN_TIMEOUT.toSeconds()
                  + " s");
        }
      }
    }
  }

  private synchronized void startNodes() throws IOException, InterruptedException {
    List<String> groups = new ArrayList<>();
    if (spec.coordinated()) {
      zooKeeper = ZooKeeperHost.start(dir.resolve("zookeeper"));
    }
    if (spec.sharded()) {
      ShardMap first =
          ShardMap.splitAt(
              spec.splitAt().stream()
                  .map(k -> k.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .toList());
      shardMap =
          ShardMapFollower.create(
              "127.0.0.1:" + zooKeeper.port(), CLUSTER_NAME, first, ADMIN_TIMEOUT, onShardMap);
      first.shards().forEach(r -> groups.add(r.id()));
    } else {
      groups.add(ONE_GROUP);
    }
    List<Node> created = new ArrayList<>();
    for (String group : groups) {
      created.addAll(createGroup(group));
    }
    if (!spec.coordinated()) {
      primaries.set("n1");
    }
    for (Node n : created) {
      n.process().serverArgs(argsFor(n.name(), primaryOf(ONE_GROUP)));
    }
    if (spec.sharded()) {
      NodeStarts.together(created);
      return;
    }
    for (Node n : created) {
      n.process().start();
      LOG.info("started {} ({}) behind {}", n.name(), roleOf(n.name()), n.address());
    }
  }

  /** Creates a group's nodes (not started) and, with a coordinator, its tracker. */
  private List<Node> createGroup(String group) throws IOException {
    List<Node> created = new ArrayList<>();
    for (int i = 1; i <= spec.nodes(); i++) {
      String name = group.isEmpty() ? "n" + i : ShardLayout.nodeName(group, i);
      NodeProcess process =
          new NodeProcess(
              distribution,
              name,
              dir.resolve("logs"),
              dir.resolve("data").resolve(name),
              KeptPorts.pick(),
              spec.jvmOptions(),
              List.of());
      TcpProxy proxy = new TcpProxy("127.0.0.1", process.port());
      Node n = new Node(name, group, process, proxy);
      nodes.put(name, n);
      created.add(n);
    }
    if (spec.coordinated()) {
      Map<String, String> own = new LinkedHashMap<>();
      created.forEach(n -> own.put(n.name(), n.process().address()));
      primaries.track(group, own, onPrimaryChange);
    }
    return created;
  }

  /**
   * Starts the nodes of a new shard {@code id} of a sharded cluster ({@link ClusterSpec#nodes()} of
   * them, with {@code --shard id}), for a split into it: until the map gives the shard its keys
   * they learn the source shard's log. Returns once they listen; the cluster serves its clients
   * meanwhile.
   *
   * @return the new nodes' names
   * @throws IllegalStateException if the cluster is not sharded or already runs shard {@code id}
   */
  public List<String> addShard(String id) throws IOException, InterruptedException {
    List<Node> created;
    synchronized (this) {
      if (!spec.sharded() || groups().contains(id)) {
        throw new IllegalStateException(
            spec.sharded() ? "shard " + id + " runs already" : "the cluster is not sharded");
      }
      created = createGroup(id);
      for (Node n : created) {
        n.process().serverArgs(argsFor(n.name(), null));
      }
    }
    // Outside the lock: a start takes seconds, and clients ask for addresses meanwhile.
    NodeStarts.together(created);
    return created.stream().map(Node::name).toList();
  }

  /** The server options of {@code name} when {@code primaryName} is the primary. */
  private List<String> argsFor(String name, String primaryName) throws IOException {
    List<String> args = new ArrayList<>(spec.serverArgs());
    args.addAll(List.of("--advertise", node(name).address()));
    if (spec.coordinated()) {
      if (spec.sharded()) {
        args.addAll(List.of("--shard", node(name).group()));
      }
      args.addAll(
          List.of(
              "--coordinator",
              zooKeeper.proxyFor(name).address(),
              "--cluster",
              CLUSTER_NAME,
              "--node-id",
              name,
              "--coordinator-session-timeout",
              SESSION_TIMEOUT.toMillis() + "ms",
              "--failover-min-interval",
              FAILOVER_MIN_INTERVAL.toMillis() + "ms"));
      return args;
    }
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

  /**
   * The name of the node that is the primary: without a coordinator the harness moves the role, so
   * it knows; with one, the node that reported the primary role in the highest epoch (null before
   * {@link #start()} returned).
   *
   * @throws IllegalStateException in a sharded cluster, which has a primary per shard ({@link
   *     #primaryOf})
   */
  @Override
  public String primary() {
    return primaryOf(oneGroup());
  }

  /** The primary's epoch as the tracker last saw it; 0 without a coordinator. */
  public long primaryEpoch() {
    return epochOf(oneGroup());
  }

  @Override
  public synchronized List<String> replicas() {
    String p = primaryOf(oneGroup());
    return nodes.keySet().stream().filter(n -> !n.equals(p)).toList();
  }

  private String oneGroup() {
    if (spec.sharded()) {
      throw new IllegalStateException(
          "a sharded cluster has a primary per shard: ask for one shard's (primaryOf)");
    }
    return ONE_GROUP;
  }

  /** The replication groups, in the order created: the shards' ids, or {@link #ONE_GROUP}. */
  public synchronized List<String> groups() {
    return nodes.values().stream().map(Node::group).distinct().toList();
  }

  /** The nodes of {@code group}, by name. */
  public synchronized List<String> membersOf(String group) {
    return nodes.values().stream().filter(n -> n.group().equals(group)).map(Node::name).toList();
  }

  /** The other nodes of {@code name}'s group. */
  public List<String> peersOf(String name) {
    return membersOf(node(name).group()).stream().filter(n -> !n.equals(name)).toList();
  }

  /** The primary of {@code group} as the harness knows it now; null while none is known. */
  public String primaryOf(String group) {
    return primaries.of(group);
  }

  /** The epoch of {@code group}'s primary as its tracker last saw it; 0 without a coordinator. */
  public long epochOf(String group) {
    return primaries.epochOf(group);
  }

  /**
   * The primary of a group drawn from {@code random}: the primary in an unsharded cluster (no
   * draw), a shard's primary in a sharded one (among the shards with a known primary); null if none
   * is known.
   */
  public String anyPrimary(java.util.SplittableRandom random) {
    return primaries.any(groups(), random);
  }

  /** Each group's primary and epoch, for a fault's detail: {@code n2 in epoch 3}, or per shard. */
  public String primariesText() {
    return primaries.text(groups());
  }

  /** The harness's view of a sharded cluster's map and its session to ZooKeeper. */
  public ShardMapFollower shardMap() {
    ShardMapFollower f = shardMap;
    if (f == null) {
      throw new IllegalStateException("the cluster is not sharded (or not started)");
    }
    return f;
  }

  @Override
  public String groupOf(String key) {
    ShardMapFollower f = shardMap;
    return f == null
        ? ONE_GROUP
        : f.map().ownerOf(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).id();
  }

  /** The primary of {@code key}'s shard by the map the harness holds; null while none is known. */
  @Override
  public String primaryFor(String key) {
    return shardMap == null ? primary() : primaryOf(groupOf(key));
  }

  @Override
  public List<String> replicasFor(String key) {
    if (shardMap == null) {
      return replicas();
    }
    String group = groupOf(key);
    String p = primaryOf(group);
    return membersOf(group).stream().filter(n -> !n.equals(p)).toList();
  }

  @Override
  public String address(String name) {
    return node(name).address();
  }

  /**
   * {@code primary} if {@code name} is its group's primary as the harness knows it, else {@code
   * replica}.
   */
  public String roleOf(String name) {
    return name.equals(primaryOf(node(name).group())) ? "primary" : "replica";
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
      n.process().serverArgs(argsFor(name, primaries.of(n.group())));
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
    if (spec.coordinated()) {
      throw new IllegalStateException("the nodes of a coordinated cluster fail over by themselves");
    }
    String old;
    synchronized (this) {
      old = primaries.of(ONE_GROUP);
    }
    KevoDistribution.CommandRun promoted =
        distribution.run(
            dir.resolve("admin"), ADMIN_TIMEOUT, "promote", node(newPrimary).address());
    if (promoted.status() != 0) {
      throw new IllegalStateException(
          "kevo promote " + newPrimary + " failed: " + promoted.err().strip());
    }
    synchronized (this) {
      primaries.set(newPrimary);
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
    ZooKeeperHost zk;
    synchronized (this) {
      zk = zooKeeper;
    }
    if (zk != null) {
      zk.heal();
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
    primaries.close();
    for (Node n : nodes.values()) {
      n.process().close();
      n.clientProxy().close();
    }
    for (TcpProxy p : links.values()) {
      p.close();
    }
    if (shardMap != null) {
      shardMap.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }
}

package io.kevo.chaos.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting many of a cluster's nodes at once. Stateless. */
final class NodeStarts {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStarts.class);

  private NodeStarts() {}

  /**
   * Starts {@code nodes} at once, each on a thread of its own, and waits for all: a sharded
   * cluster's nodes are many, and their starts overlap where they wait (on their disk, on
   * ZooKeeper). Every node of an unsharded cluster starts alone, in order, as it always has.
   *
   * @throws IllegalStateException the first node's failure to start (the others are still waited
   *     for)
   */
  static void together(List<ChaosCluster.Node> nodes) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    for (ChaosCluster.Node n : nodes) {
      Thread t =
          new Thread(
              () -> {
                try {
                  n.process().start();
                  LOG.info("started {} of shard {} behind {}", n.name(), n.group(), n.address());
                } catch (Exception e) {
                  failures.add(e);
                }
              },
              "chaos-start-" + n.name());
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      throw first instanceof IllegalStateException e
          ? e
          : new IllegalStateException(first.getMessage(), first);
    }
  }
}

package io.kevo.cli.repl;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle shared by the tests that run one {@link ReplicationCluster} per test: a fresh cluster
 * in a temporary directory before each test, every node and proxy of it closed after (after the
 * subclass's own {@code @AfterEach}). A failed test keeps the directory, with the nodes' data and
 * logs, for diagnosis; a passed one removes it. Not thread-safe: the test thread owns it.
 */
abstract class ClusterFixture {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  ReplicationCluster cluster;

  @BeforeEach
  void createCluster() {
    cluster = new ReplicationCluster(tmp);
  }

  @AfterEach
  void closeCluster() {
    cluster.close();
  }
}

package io.kevo.server;

/**
 * The combinations of {@link ServerOptions} a node refuses to start with, checked once all are set:
 * roles and what goes with them, and the port's exposure (no open port beyond loopback unless asked
 * for). Stateless.
 */
final class ServerOptionRules {
  private ServerOptionRules() {}

  /**
   * @throws IllegalArgumentException if a replica has no primary address (and no coordinator), or
   *     another role has one; if a standalone node has an acknowledgement level other than {@code
   *     async} or a minimum of replicas to write; if a coordinated node does not start as a
   *     replica; if a node without authentication listens beyond loopback without {@code insecure}
   */
  static void check(ServerOptions o) {
    NodeRole role = o.role();
    // A replica keeps them for when it is promoted (kevo promote).
    if (role == NodeRole.STANDALONE && (o.replicationAck().waits() || o.minReplicasToWrite() > 0)) {
      throw new IllegalArgumentException(
          "a standalone node takes no replication acknowledgement level nor minimum of replicas"
              + " to write: it has no replicas");
    }
    if (o.failover() != null && role != NodeRole.REPLICA) {
      throw new IllegalArgumentException(
          "with a coordinator the cluster elects its primary: every node starts as a replica"
              + " (this node's role is "
              + role
              + ")");
    }
    if (role == NodeRole.REPLICA && o.primaryAddress() == null && o.failover() == null) {
      throw new IllegalArgumentException("a replica needs the primary's address (HOST:PORT)");
    }
    if (role != NodeRole.REPLICA && o.primaryAddress() != null) {
      throw new IllegalArgumentException(
          "only a replica takes a primary address; this node's role is " + role);
    }
    if (!o.authenticates() && !o.insecure() && !HostPort.isLoopback(o.host())) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + o.host()
              + " without authentication: anyone who reaches the port could read, write,"
              + " replicate and promote. Require client certificates (--tls-cert, --tls-key,"
              + " --tls-ca) or give an --auth-file; or pass --insecure to run open on purpose");
    }
  }
}

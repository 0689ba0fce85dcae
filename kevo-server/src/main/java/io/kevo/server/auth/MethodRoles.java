package io.kevo.server.auth;

import java.util.Map;

/**
 * The role each gRPC method needs, by full method name. The health service needs none (a load
 * balancer checks it without credentials); a method not listed needs {@link Role#ADMIN}, so that a
 * method added later is closed until it is placed here. Stateless.
 */
final class MethodRoles {
  private static final String KEVO = "kevo.KevoService/";
  private static final String WAL = "kevo.replication.WALReplicationService/";
  private static final String ADMIN = "kevo.replication.ReplicationAdmin/";

  private static final Map<String, Role> ROLES =
      Map.ofEntries(
          Map.entry(KEVO + "Get", Role.READ),
          Map.entry(KEVO + "Scan", Role.READ),
          Map.entry(KEVO + "BeginTransaction", Role.READ),
          Map.entry(KEVO + "CommitTransaction", Role.READ),
          Map.entry(KEVO + "RollbackTransaction", Role.READ),
          Map.entry(KEVO + "TxGet", Role.READ),
          Map.entry(KEVO + "TxScan", Role.READ),
          Map.entry(KEVO + "GetStats", Role.READ),
          Map.entry(KEVO + "GetNodeInfo", Role.READ),
          Map.entry(KEVO + "Put", Role.WRITE),
          Map.entry(KEVO + "Delete", Role.WRITE),
          Map.entry(KEVO + "BatchWrite", Role.WRITE),
          Map.entry(KEVO + "TxPut", Role.WRITE),
          Map.entry(KEVO + "TxDelete", Role.WRITE),
          Map.entry(KEVO + "Compact", Role.ADMIN),
          Map.entry(WAL + "StreamWAL", Role.REPLICATE),
          Map.entry(WAL + "Acknowledge", Role.REPLICATE),
          Map.entry(WAL + "NegativeAcknowledge", Role.REPLICATE),
          Map.entry(WAL + "FetchSnapshot", Role.REPLICATE),
          Map.entry(WAL + "GetEpochs", Role.REPLICATE),
          Map.entry(ADMIN + "Promote", Role.ADMIN),
          Map.entry(ADMIN + "Repoint", Role.ADMIN));

  private MethodRoles() {}

  /** The role {@code fullMethodName} needs, or null if it is open to anyone. */
  static Role needed(String fullMethodName) {
    if (fullMethodName.startsWith("grpc.health.v1.Health/")) {
      return null;
    }
    if (fullMethodName.startsWith("grpc.reflection.")) {
      return Role.READ; // the schema is not secret, but the port is not open either
    }
    return ROLES.getOrDefault(fullMethodName, Role.ADMIN);
  }
}

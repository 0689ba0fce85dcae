package io.kevo.coordination;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.apache.zookeeper.KeeperException;

/**
 * The cluster's persistent records, each a JSON znode under the cluster's root: {@code primary} (a
 * {@link PrimaryRecord}), {@code failover} (the last {@link FailoverRecord}) and, while a planned
 * switchover runs, {@code switchover} (a {@link SwitchoverRequest}). Written only by the node that
 * holds leadership; read by everyone. Unknown JSON fields are ignored, so a later version may add
 * some. Thread-safe and stateless: every call reads or writes the ensemble.
 */
public final class ClusterRecords {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Coordinator coordinator;

  /** The records of the coordinator's cluster. */
  public ClusterRecords(Coordinator coordinator) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
  }

  /** The last primary record written, if any. */
  public Optional<PrimaryRecord> primary() {
    return read("primary", PrimaryRecord.class);
  }

  /** Replaces the primary record. */
  public void writePrimary(PrimaryRecord record) {
    write("primary", record);
  }

  /** The last failover recorded, if any. */
  public Optional<FailoverRecord> lastFailover() {
    return read("failover", FailoverRecord.class);
  }

  /** Replaces the failover record. */
  public void writeFailover(FailoverRecord record) {
    write("failover", record);
  }

  /** The switchover under way, if any. */
  public Optional<SwitchoverRequest> switchover() {
    return read("switchover", SwitchoverRequest.class);
  }

  /**
   * Asks for a switchover.
   *
   * @throws CoordinationException if one is already under way (naming its target)
   */
  public void requestSwitchover(SwitchoverRequest request) {
    String path = coordinator.path("switchover");
    try {
      coordinator
          .client()
          .create()
          .creatingParentsIfNeeded()
          .forPath(path, MAPPER.writeValueAsBytes(request));
    } catch (KeeperException.NodeExistsException e) {
      String pending = switchover().map(SwitchoverRequest::to).orElse("?");
      throw new CoordinationException(
          "a switchover to " + pending + " is already under way (" + path + ")", e);
    } catch (Exception e) {
      throw new CoordinationException("cannot write " + path, e);
    }
  }

  /** Replaces the switchover under way (the primary's progress). */
  public void updateSwitchover(SwitchoverRequest request) {
    write("switchover", request);
  }

  /** Removes the switchover record; harmless if absent. */
  public void clearSwitchover() {
    String path = coordinator.path("switchover");
    try {
      coordinator.client().delete().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // Already gone.
    } catch (Exception e) {
      throw new CoordinationException("cannot delete " + path, e);
    }
  }

  private <T> Optional<T> read(String name, Class<T> type) {
    String path = coordinator.path(name);
    byte[] data;
    try {
      data = coordinator.client().getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + path, e);
    }
    try {
      return Optional.of(MAPPER.readValue(data, type));
    } catch (IOException | IllegalArgumentException e) {
      throw new CoordinationException("unreadable " + name + " record at " + path, e);
    }
  }

  private void write(String name, Object record) {
    String path = coordinator.path(name);
    try {
      byte[] data = MAPPER.writeValueAsBytes(record);
      try {
        coordinator.client().setData().forPath(path, data);
      } catch (KeeperException.NoNodeException e) {
        try {
          coordinator.client().create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException raced) {
          coordinator.client().setData().forPath(path, data);
        }
      }
    } catch (Exception e) {
      throw new CoordinationException("cannot write " + path, e);
    }
  }
}

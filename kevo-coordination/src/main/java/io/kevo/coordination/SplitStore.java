package io.kevo.coordination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster's shard splits, one znode per splitting shard at {@code splits/FROM} under the
 * cluster's root (JSON, keys in hex). A shard has at most one split under way; an ended one stays
 * until the next split of that shard replaces it, so that nodes that have not read the new map yet
 * still find the fence. Every change after the first write is conditional on the znode version
 * ({@link #replace}), so the splitting command and the source shard's primaries never overwrite
 * each other's steps.
 *
 * <p>Thread-safe and stateless: every call reads or writes the ensemble.
 */
public final class SplitStore {
  /** The directory's name under the cluster's root. */
  public static final String ZNODE = "splits";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A record and the znode version it was read at. */
  public record Held(SplitRecord record, int znodeVersion) {}

  record Doc(
      String from,
      String to,
      String at,
      long mapVersion,
      String state,
      long fenceEpoch,
      long fenceSequence,
      long startedMillis,
      long fencedMillis,
      String note) {}

  private final Coordinator coordinator;

  /** The splits of the coordinator's cluster (whichever shard group the session serves). */
  public SplitStore(Coordinator coordinator) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
  }

  /** The znode of {@code from}'s split. */
  public String path(String from) {
    return coordinator.clusterPath(ZNODE + "/" + from);
  }

  /**
   * Records a new split. Replaces an ended split of the same shard.
   *
   * @throws CoordinationException if a split of {@code record.from()} is under way (naming it), or
   *     the ensemble cannot be written
   */
  public Held create(SplitRecord record) {
    String path = path(record.from());
    byte[] doc = encode(record);
    try {
      Optional<Held> old = read(record.from());
      if (old.isEmpty()) {
        coordinator.client().create().creatingParentsIfNeeded().forPath(path, doc);
        return new Held(record, 0);
      }
      if (!old.get().record().state().ended()) {
        throw new CoordinationException(
            "a split of shard "
                + record.from()
                + " is under way: "
                + old.get().record().describe()
                + "; finish it (kevo cluster split again) or abort it (--abort)");
      }
      Stat stat =
          coordinator.client().setData().withVersion(old.get().znodeVersion()).forPath(path, doc);
      return new Held(record, stat.getVersion());
    } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
      throw new CoordinationException(
          "another split of shard " + record.from() + " was recorded at the same time", e);
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot write " + path, e);
    }
  }

  /** {@code from}'s split, under way or the last ended; empty if it never split. */
  public Optional<Held> read(String from) {
    String path = path(from);
    try {
      Stat stat = new Stat();
      byte[] data = coordinator.client().getData().storingStatIn(stat).forPath(path);
      return Optional.of(new Held(decode(data, path), stat.getVersion()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + path, e);
    }
  }

  /** Every shard's split record (a shard that never split has none). */
  public List<Held> all() {
    String dir = coordinator.clusterPath(ZNODE);
    List<String> children;
    try {
      children = coordinator.client().getChildren().forPath(dir);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + dir, e);
    }
    List<Held> out = new ArrayList<>();
    for (String from : children) {
      read(from).ifPresent(out::add);
    }
    return out;
  }

  /** The split under way whose new shard is {@code to}, if any. */
  public Optional<Held> into(String to) {
    return all().stream()
        .filter(h -> h.record().to().equals(to) && !h.record().state().ended())
        .findFirst();
  }

  /**
   * Replaces {@code seen} by {@code next} if the znode still holds what {@code seen} was read from.
   *
   * @return the written record; empty if it changed meanwhile (read it again)
   * @throws CoordinationException if the ensemble cannot be written
   */
  public Optional<Held> replace(Held seen, SplitRecord next) {
    String path = path(next.from());
    try {
      Stat stat =
          coordinator
              .client()
              .setData()
              .withVersion(seen.znodeVersion())
              .forPath(path, encode(next));
      return Optional.of(new Held(next, stat.getVersion()));
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new CoordinationException("cannot write " + path, e);
    }
  }

  static byte[] encode(SplitRecord r) {
    try {
      return MAPPER.writeValueAsBytes(
          new Doc(
              r.from(),
              r.to(),
              HexFormat.of().formatHex(r.at()),
              r.mapVersion(),
              r.state().name(),
              r.fenceEpoch(),
              r.fenceSequence(),
              r.startedMillis(),
              r.fencedMillis(),
              r.note()));
    } catch (JsonProcessingException e) {
      throw new CoordinationException("cannot encode split " + r.describe(), e);
    }
  }

  static SplitRecord decode(byte[] json, String path) {
    try {
      Doc d = MAPPER.readValue(json, Doc.class);
      return new SplitRecord(
          d.from(),
          d.to(),
          HexFormat.of().parseHex(d.at()),
          d.mapVersion(),
          SplitRecord.State.valueOf(d.state()),
          d.fenceEpoch(),
          d.fenceSequence(),
          d.startedMillis(),
          d.fencedMillis(),
          d.note());
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new CoordinationException(
          "unreadable split record at " + path + ": " + e.getMessage(), e);
    }
  }
}

package io.kevo.coordination;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The fencing token: the cluster's {@code epoch} znode holds the number of the latest term (decimal
 * ASCII), and it only ever moves by {@link #claimNext(long)}, a conditional write.
 *
 * <p>A claim reads the znode with its version, checks that it still holds the epoch the caller saw,
 * and writes {@code seen + 1} with that version (or creates the znode when absent). ZooKeeper
 * applies at most one write per version, so of two nodes claiming at once exactly one wins; the
 * other gets an {@link EpochConflictException} with the ledger's epoch now. Granted epochs are
 * therefore distinct and strictly increasing across the cluster, whatever the races.
 *
 * <p>Thread-safe and stateless: every call reads the ensemble.
 */
public final class EpochLedger {
  private final Coordinator coordinator;
  private final String path;

  /** The ledger of the coordinator's cluster. */
  public EpochLedger(Coordinator coordinator) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.path = coordinator.path("epoch");
  }

  /** The latest epoch claimed in the cluster; 0 if none ever was. */
  public long current() {
    try {
      return read(new Stat());
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot read " + path, e);
    }
  }

  /**
   * Claims epoch {@code seen + 1} if the ledger still holds {@code seen}.
   *
   * @param seen the epoch the caller last read ({@link #current()}), 0 if none
   * @return the epoch granted, {@code seen + 1}
   * @throws EpochConflictException if the ledger no longer holds {@code seen} (someone claimed)
   * @throws CoordinationException if the ensemble cannot be reached or answers with an error
   */
  public long claimNext(long seen) {
    return claimAtLeast(seen, seen + 1);
  }

  /**
   * Claims epoch {@code max(seen + 1, minimum)} if the ledger still holds {@code seen}: a node
   * whose own epoch history has seen a higher epoch than the ledger (a manual promotion outside the
   * coordinator) claims past it.
   *
   * @throws EpochConflictException if the ledger no longer holds {@code seen}
   * @throws CoordinationException if the ensemble cannot be reached or answers with an error
   */
  public long claimAtLeast(long seen, long minimum) {
    if (seen < 0) {
      throw new IllegalArgumentException("seen epoch must not be negative: " + seen);
    }
    long next = Math.max(seen + 1, minimum);
    byte[] data = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
    try {
      Stat stat = new Stat();
      long current = read(stat);
      if (current != seen) {
        throw new EpochConflictException(seen, current);
      }
      if (stat.getVersion() < 0) {
        coordinator.client().create().creatingParentsIfNeeded().forPath(path, data);
      } else {
        coordinator.client().setData().withVersion(stat.getVersion()).forPath(path, data);
      }
      return next;
    } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
      throw new EpochConflictException(seen, current());
    } catch (CoordinationException e) {
      throw e;
    } catch (Exception e) {
      throw new CoordinationException("cannot claim epoch " + next + " at " + path, e);
    }
  }

  /** The epoch held, 0 if the znode is absent (then {@code stat}'s version stays -1). */
  private long read(Stat stat) throws Exception {
    byte[] data;
    try {
      data = coordinator.client().getData().storingStatIn(stat).forPath(path);
    } catch (KeeperException.NoNodeException e) {
      stat.setVersion(-1);
      return 0;
    }
    try {
      return Long.parseLong(new String(data, StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      throw new CoordinationException("the epoch znode " + path + " holds no number", e);
    }
  }
}

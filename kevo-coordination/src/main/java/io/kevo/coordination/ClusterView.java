package io.kevo.coordination;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the coordinator knows of a cluster at one moment, read in one go for {@code kevo status} and
 * for clients that discover the cluster from ZooKeeper. Immutable.
 *
 * @param connectString the ensemble it was read from
 * @param cluster the cluster's name
 * @param members the live members, by id
 * @param epoch the epoch ledger's value (0 if no term was ever claimed)
 * @param leader the member id holding leadership now, if any
 * @param primary the last primary record, if any
 * @param lastFailover the last failover, if any
 */
public record ClusterView(
    String connectString,
    String cluster,
    List<MemberInfo> members,
    long epoch,
    Optional<String> leader,
    Optional<PrimaryRecord> primary,
    Optional<FailoverRecord> lastFailover) {

  /** Copies the list. */
  public ClusterView {
    Objects.requireNonNull(connectString, "connectString");
    Objects.requireNonNull(cluster, "cluster");
    members = List.copyOf(members);
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(lastFailover, "lastFailover");
  }

  /** Reads the cluster of {@code coordinator}'s options. */
  public static ClusterView read(Coordinator coordinator) {
    ClusterRecords records = new ClusterRecords(coordinator);
    return new ClusterView(
        coordinator.options().connectString(),
        coordinator.options().cluster(),
        MemberRegistry.readMembers(coordinator),
        new EpochLedger(coordinator).current(),
        LeaderElection.leader(coordinator),
        records.primary(),
        records.lastFailover());
  }

  /**
   * The member serving as primary: the one reporting the primary role in the highest epoch (while a
   * superseded primary's session lingers, two may report it).
   */
  public Optional<MemberInfo> primaryMember() {
    return members.stream()
        .filter(MemberInfo::isPrimary)
        .max(Comparator.comparingLong(MemberInfo::epoch));
  }

  /** The member with this id, if live. */
  public Optional<MemberInfo> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }
}

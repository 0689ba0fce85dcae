package io.kevo.cli;

import io.kevo.coordination.ClusterView;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.ShardRange;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One shard as {@code kevo cluster status} shows it: its range in the shard map and its replication
 * group as the coordinator knows it. Immutable.
 *
 * @param range the shard's id and key range
 * @param group the shard's replication group, read with {@code CoordinatorOptions.forShard(id)}
 */
record ShardStatus(ShardRange range, ClusterView group) {
  ShardStatus {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(group, "group");
  }

  /** The member serving as the shard's primary, if any. */
  Optional<MemberInfo> primary() {
    return group.primaryMember();
  }

  /**
   * The most entries any member lacks of what the primary has made durable ({@link
   * ClusterFacts#lag}); empty while the shard has no primary.
   */
  OptionalLong maxLag() {
    return group.members().stream()
        .map(m -> ClusterFacts.lag(group, m))
        .filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong)
        .max();
  }
}

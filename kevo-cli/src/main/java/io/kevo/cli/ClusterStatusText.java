package io.kevo.cli;

import io.kevo.cli.shell.Figures;
import io.kevo.cli.shell.Report;
import io.kevo.coordination.CoordinatorOptions;
import io.kevo.coordination.MemberInfo;
import io.kevo.coordination.ShardMap;
import io.kevo.coordination.SplitRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code kevo cluster status}'s text: a header line, then one row per shard, e.g.
 *
 * <pre>
 * Cluster main on coordinator 127.0.0.1:2181: 2 shards, shard map version 1
 *   shard  range   primary                members  max lag  durable sequence     size
 *   s1     [-, m)  n1 at 127.0.0.1:50051        3        3              1042  3.0 MiB
 *   s2     [m, -)  none                         1        -                 -        -
 * </pre>
 *
 * {@code max lag} is the most entries any member lacks of what the primary has made durable, {@code
 * durable sequence} the primary's, and {@code size} its database's bytes on disk (tables and log);
 * each {@code -} without a primary. A split under way adds a line, e.g. {@code split under way: s1
 * into s3 at "g" (LEARNING), from shard map version 1}. Stateless and thread-safe.
 */
final class ClusterStatusText {
  private ClusterStatusText() {}

  /** The whole report, ending with a newline. */
  static String render(
      CoordinatorOptions options,
      ShardMap map,
      List<ShardStatus> shards,
      List<SplitRecord> splits) {
    Report report =
        new Report()
            .table(
                3,
                "Cluster "
                    + options.cluster()
                    + " on coordinator "
                    + options.connectString()
                    + ": "
                    + map.shards().size()
                    + (map.shards().size() == 1 ? " shard" : " shards")
                    + ", shard map version "
                    + map.version(),
                "shard",
                "range",
                "primary",
                "members",
                "max lag",
                "durable sequence",
                "size");
    for (ShardStatus s : shards) {
      Optional<MemberInfo> primary = s.primary();
      report.row(
          s.range().id(),
          ShardText.range(s.range()),
          primary.map(p -> p.id() + " at " + p.clientAddress()).orElse("none"),
          Integer.toString(s.group().members().size()),
          or(s.maxLag()),
          primary.map(p -> Long.toString(p.durableSequence())).orElse(Figures.NONE),
          primary.map(p -> Figures.bytes(p.dataBytes())).orElse(Figures.NONE));
    }
    StringBuilder text = new StringBuilder(report.render());
    for (SplitRecord r : splits) {
      text.append("  split under way: ")
          .append(r.describe())
          .append(", from shard map version ")
          .append(r.mapVersion())
          .append(System.lineSeparator());
    }
    return text.toString();
  }

  private static String or(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : Figures.NONE;
  }
}

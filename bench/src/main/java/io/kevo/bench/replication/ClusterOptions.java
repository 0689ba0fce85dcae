package io.kevo.bench.replication;

import io.kevo.bench.cli.BenchOptions;
import io.kevo.bench.report.MachineInfo;
import io.kevo.proto.replication.CompressionCodec;
import io.kevo.testkit.KevoDistribution;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Mixin;

/**
 * The options the {@code replication} and {@code safety} commands share (writers, replicas, sizes,
 * repeats, output, working directory, node JVMs), and what follows from them: the nodes they start
 * and the end of their JSON config. A picocli mixin: filled by the parser, then read on the
 * command's thread only.
 */
final class ClusterOptions {
  @Mixin BenchOptions.ClusterLoad load = new BenchOptions.ClusterLoad();
  @Mixin BenchOptions.Connections connections = new BenchOptions.Connections();
  @Mixin BenchOptions.Repeat repeat = new BenchOptions.Repeat();
  @Mixin BenchOptions.Sizes sizes = new BenchOptions.Sizes();
  @Mixin BenchOptions.JsonOut json = new BenchOptions.JsonOut();
  @Mixin BenchOptions.WorkDir dir = new BenchOptions.WorkDir();
  @Mixin BenchOptions.ChildJvms jvms = new BenchOptions.ChildJvms("2g");

  /** {@code --phases} as given, each trimmed and lower-cased, in order. */
  static Set<String> phases(List<String> given) {
    Set<String> out = new LinkedHashSet<>();
    given.forEach(p -> out.add(p.trim().toLowerCase(Locale.ROOT)));
    return out;
  }

  /** A standalone node in {@code data}, its children labelled {@code label}. */
  Cluster standalone(Path data, String label) {
    return Cluster.standalone(data, jvms.heap(), jvms::jvmArgs, label);
  }

  /** A primary and {@code replicas} replicas asking for {@code codec}, in {@code data}. */
  Cluster replicated(Path data, int replicas, CompressionCodec codec, String label) {
    return Cluster.replicated(data, replicas, codec, jvms.heap(), jvms::jvmArgs, label);
  }

  /**
   * Adds the entries both commands' JSON config ends with: the nodes' heap and JVM options (the
   * launchers' collector options, then {@code --jvm-arg}), the data directory and the 1-minute load
   * average at the start and now.
   */
  void putNodes(Map<String, Object> config, Path base, double loadStart) {
    config.put("node_heap", jvms.heap());
    config.put("node_collector_options", KevoDistribution.COLLECTOR_OPTIONS);
    config.put("node_jvm_args", jvms.jvmArgs());
    config.put("data_dir", base.toAbsolutePath().toString());
    config.put("load_average_1m_start", loadStart);
    config.put("load_average_1m_end", MachineInfo.loadAverage());
  }
}

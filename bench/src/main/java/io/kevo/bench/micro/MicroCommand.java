package io.kevo.bench.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code kevo-bench micro}: runs the JMH micro-benchmarks of {@link io.kevo.bench.micro}. Every
 * argument goes to JMH as {@code org.openjdk.jmh.Main} takes it (a benchmark regex, {@code -f},
 * {@code -i}, {@code -rf json}...); what it leaves out is short: one fork, one warm-up iteration
 * and two measured iterations of one second each, every benchmark of this package.
 */
@Command(
    name = "micro",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the JMH micro-benchmarks: skiplist insert, block seek, WAL codec.",
      "Arguments go to JMH (e.g. CodecBench -f 1 -i 5 -r 2s -rf json -rff micro.json);",
      "by default 1 fork, 1 warm-up and 2 measured iterations of 1 s each, every benchmark."
    })
public final class MicroCommand implements Callable<Integer> {
  @Unmatched List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws CommandLineOptionException, RunnerException {
    CommandLineOptions given = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    if (given.shouldList()) {
      new Runner(given).list();
      return 0;
    }
    ChainedOptionsBuilder options = new OptionsBuilder().parent(given);
    if (given.getIncludes().isEmpty()) {
      options.include(MicroCommand.class.getPackageName() + "\\..*");
    }
    if (!given.getForkCount().hasValue()) {
      options.forks(1);
    }
    if (!given.getWarmupIterations().hasValue()) {
      options.warmupIterations(1);
    }
    if (!given.getWarmupTime().hasValue()) {
      options.warmupTime(TimeValue.seconds(1));
    }
    if (!given.getMeasurementIterations().hasValue()) {
      options.measurementIterations(2);
    }
    if (!given.getMeasurementTime().hasValue()) {
      options.measurementTime(TimeValue.seconds(1));
    }
    return new Runner(options.build()).run().isEmpty() ? 1 : 0;
  }
}

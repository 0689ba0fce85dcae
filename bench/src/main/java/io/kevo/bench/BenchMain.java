package io.kevo.bench;

import io.kevo.bench.engine.EngineCommand;
import io.kevo.bench.engine.WorkerCommand;
import io.kevo.bench.failover.FailoverCommand;
import io.kevo.bench.micro.MicroCommand;
import io.kevo.bench.replication.ReplicationCommand;
import io.kevo.bench.replication.SafetyCommand;
import io.kevo.bench.server.EmbeddedWorkerCommand;
import io.kevo.bench.server.ServerCommand;
import io.kevo.bench.server.ServerNodeCommand;
import io.kevo.bench.tx.TxCommand;
import io.kevo.bench.tx.TxWorkerCommand;
import io.kevo.chaos.ChaosCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kevo-bench}: the benchmark driver's entry point. */
@Command(
    name = "kevo-bench",
    mixinStandardHelpOptions = true,
    version = "kevo-bench 0.1.0-SNAPSHOT",
    description =
        "Benchmarks for Kevo: engine, tx, server, replication, safety, failover, shards, micro (JMH); and"
            + " chaos, the fault-injection harness.",
    subcommands = {
      EngineCommand.class,
      WorkerCommand.class,
      TxCommand.class,
      TxWorkerCommand.class,
      ServerCommand.class,
      ServerNodeCommand.class,
      EmbeddedWorkerCommand.class,
      ReplicationCommand.class,
      SafetyCommand.class,
      FailoverCommand.class,
      io.kevo.bench.shards.ShardsCommand.class,
      MicroCommand.class,
      ChaosCommand.class
    })
public final class BenchMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line {@code args} and returns the exit code, without exiting. */
  public static int execute(String... args) {
    return new CommandLine(new BenchMain()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand (try: engine, tx, server, replication, safety, failover, shards, micro, chaos)");
  }
}

package io.kevo.bench.failover;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kevo.bench.report.ProcessCpu;
import io.kevo.bench.server.RemoteApi;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.testkit.NodeProcess;
import io.kevo.wire.ReplicationStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One member of the failover cluster: a {@code kevo server} process ({@link NodeProcess}, same data
 * directory and port across restarts) and an admin channel for its {@code GetNodeInfo}. Adds up the
 * CPU time of all its incarnations (each read just before it is killed). Used by the driving thread
 * only; {@link #close()} kills the process and throws nothing.
 */
final class Member implements AutoCloseable {
  private static final long INFO_DEADLINE_MS = 2_000;

  private final String id;
  private final NodeProcess process;
  private ManagedChannel channel;
  private long cpuNanosOfEndedRuns;

  Member(String id, NodeProcess process) {
    this.id = id;
    this.process = process;
  }

  String id() {
    return id;
  }

  /** {@code 127.0.0.1:PORT}; fixed once first started. */
  String address() {
    return process.address();
  }

  boolean running() {
    return process.alive();
  }

  /** Starts the process (on its data directory) and waits until it listens. */
  void start() throws IOException, InterruptedException {
    process.start();
    if (channel == null) {
      channel = RemoteApi.channel("127.0.0.1", process.port());
    }
  }

  /** SIGKILL; returns once the process is gone. Its CPU time is read first. */
  void kill() throws InterruptedException {
    cpuNanosOfEndedRuns += currentCpuNanos();
    process.kill();
  }

  /** The node's {@code GetNodeInfo}, or empty if it does not answer (down, starting). */
  Optional<GetNodeInfoResponse> info() {
    if (channel == null || !process.alive()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          KevoServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(INFO_DEADLINE_MS, TimeUnit.MILLISECONDS)
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  /** The epoch a node reports (the term it leads or follows); 0 if none. */
  static long epoch(GetNodeInfoResponse info) {
    return ReplicationStatus.of(info).epoch().map(ReplicationStatus.Epoch::number).orElse(0L);
  }

  /** The last sequence a node applied: a replica's applied sequence, else its last sequence. */
  static long applied(GetNodeInfoResponse info) {
    long last = info.getLastSequence();
    return ReplicationStatus.of(info)
        .replica()
        .map(r -> r.appliedSequence().orElse(last))
        .orElse(last);
  }

  /** CPU nanoseconds (user + system) of every incarnation so far. */
  long cpuNanos() {
    return cpuNanosOfEndedRuns + currentCpuNanos();
  }

  private long currentCpuNanos() {
    if (!process.alive()) {
      return 0;
    }
    return ProcessCpu.of(process.pid()).map(ProcessCpu.Sample::totalNanos).orElse(0L);
  }

  /** The lines the server wrote to its log, every incarnation. */
  List<String> logLines() {
    return process.serverLogLines();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
    process.close();
  }

  @Override
  public String toString() {
    return id + "@" + address();
  }
}

package io.kevo.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.replication.ReplicationAdminGrpc;
import io.kevo.proto.replication.ReplicationAdminGrpc.ReplicationAdminBlockingStub;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One {@code kevo.replication.ReplicationAdmin} call to a node, for {@code kevo promote} and {@code
 * kevo repoint}: prints the answer, or the error and exits 2. Stateless.
 */
final class AdminCall {
  /** Promotion stops a replica and opens a primary: allow well over its usual second. */
  static final long DEADLINE_SECONDS = 60;

  private AdminCall() {}

  /**
   * Calls {@code call} on {@code endpoint} and prints {@code describe} of its answer.
   *
   * @return the exit status
   */
  static <T> int run(
      String endpoint,
      ClientTlsFlags tls,
      String what,
      Function<ReplicationAdminBlockingStub, T> call,
      Function<T, String> describe,
      PrintWriter out,
      PrintWriter err) {
    ClientTlsFlags.Channel channel;
    try {
      channel = tls.channelTo(endpoint);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }
    ManagedChannel ch = channel.builder().build();
    try {
      T answer =
          call.apply(
              ReplicationAdminGrpc.newBlockingStub(ch)
                  .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS));
      out.println(describe.apply(answer));
      out.flush();
      return ExitCodes.OK;
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      err.println(
          "error: "
              + what
              + " "
              + endpoint
              + " failed: "
              + s.getCode()
              + (s.getDescription() != null ? ": " + s.getDescription() : ""));
      err.flush();
      return ExitCodes.FATAL;
    } finally {
      channel.shutdown(ch);
    }
  }
}

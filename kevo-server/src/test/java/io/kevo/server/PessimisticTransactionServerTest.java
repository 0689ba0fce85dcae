package io.kevo.server;

import static io.kevo.server.KevoServiceTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kevo.engine.TransactionMode;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.KevoServiceGrpc.KevoServiceBlockingStub;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxPutRequest;
import io.kevo.wire.WireMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pessimistic transactions through the server: aborts, their statuses, expiry releasing locks. */
class PessimisticTransactionServerTest {
  @TempDir Path dir;

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private ServerFixture f;

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    if (f != null) {
      f.close();
    }
  }

  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private void start(Duration lockTimeout) {
    f =
        new ServerFixture(
            dir,
            ServerOptions.builder()
                .transactionMode(TransactionMode.PESSIMISTIC)
                .transactionLockTimeout(lockTimeout)
                .build());
  }

  private String begin() {
    return f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
  }

  private void txPut(KevoServiceBlockingStub stub, String tx, String key) {
    stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(tx).setKey(b(key)).setValue(b(tx)).build());
  }

  private void txGet(String tx, String key) {
    f.stub.txGet(TxGetRequest.newBuilder().setTransactionId(tx).setKey(b(key)).build());
  }

  private static String abortReason(Throwable t) {
    return ((StatusRuntimeException) t).getTrailers().get(WireMetadata.TX_ABORT);
  }

  @Test
  void aLockWaitTimeoutIsAbortedSaysSoAndForgetsTheTransaction() {
    start(Duration.ofMillis(100));
    String holder = begin();
    txPut(f.stub, holder, "k");
    String waiter = begin();
    assertThatThrownBy(() -> txGet(waiter, "k"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
              assertThat(e.getStatus().getDescription())
                  .contains("lock wait timeout on key \"k\" held by another transaction");
              assertThat(abortReason(e)).isEqualTo("lock-timeout");
            });
    assertStatus(() -> txGet(waiter, "k"), Status.Code.NOT_FOUND, "aborted: lock wait timeout");
    assertThat(f.server.openTransactions()).isEqualTo(1);
    f.stub.commitTransaction(
        CommitTransactionRequest.newBuilder().setTransactionId(holder).build());
  }

  @Test
  void aDeadlockAbortsTheTransactionThatClosesIt() throws Exception {
    start(Duration.ofSeconds(10));
    String t1 = begin();
    String t2 = begin();
    txPut(f.stub, t1, "a");
    txPut(f.stub, t2, "b");
    // Each asks for the other's key, concurrently: whichever call arrives second closes the cycle
    // and is aborted at once (not after the 10 s timeout); the other then gets its lock.
    Future<?> t2WaitsForA = pool.submit(() -> txPut(f.stub, t2, "a"));
    Future<?> t1WaitsForB = pool.submit(() -> txPut(f.stub, t1, "b"));
    Throwable aborted = null;
    String survivor = null;
    try {
      t1WaitsForB.get(30, TimeUnit.SECONDS);
      survivor = t1;
    } catch (ExecutionException e) {
      aborted = e.getCause();
    }
    try {
      t2WaitsForA.get(30, TimeUnit.SECONDS);
      survivor = survivor == null ? t2 : survivor;
    } catch (ExecutionException e) {
      assertThat(aborted).as("only one side is aborted").isNull();
      aborted = e.getCause();
    }
    assertThat(aborted).isInstanceOf(StatusRuntimeException.class);
    assertThat(((StatusRuntimeException) aborted).getStatus().getCode())
        .isEqualTo(Status.Code.ABORTED);
    assertThat(((StatusRuntimeException) aborted).getStatus().getDescription())
        .startsWith("deadlock: transaction");
    assertThat(abortReason(aborted)).isEqualTo("deadlock");
    f.stub.commitTransaction(
        CommitTransactionRequest.newBuilder().setTransactionId(survivor).build());
    assertThat(f.server.openTransactions()).isZero();
  }

  @Test
  void anAbandonedTransactionReleasesItsLocksWhenItExpires() {
    start(Duration.ZERO);
    String abandoned = begin();
    txPut(f.stub, abandoned, "k");
    String next = begin();
    assertStatus(() -> txGet(next, "k"), Status.Code.ABORTED, "lock wait timeout");
    f.advance(31_000); // past the 30 s idle timeout
    assertThat(f.server.sweepTransactions()).isEqualTo(1);
    String after = begin();
    txGet(after, "k");
    f.stub.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(after).build());
  }

  @Test
  void anUnknownModeIsABadRequest() {
    start(Duration.ofSeconds(1));
    Metadata headers = new Metadata();
    headers.put(WireMetadata.TX_MODE, "blocking");
    assertStatus(
        () ->
            f.stub
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .beginTransaction(BeginTransactionRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "kevo-tx-mode must be optimistic or pessimistic, got 'blocking'");
  }

  @Test
  void anOptimisticTransactionAskedForOnAPessimisticServerDoesNotLock() {
    start(Duration.ZERO);
    String holder = begin();
    txPut(f.stub, holder, "k");
    Metadata headers = new Metadata();
    headers.put(WireMetadata.TX_MODE, "optimistic");
    KevoServiceBlockingStub optimistic =
        f.stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    String free =
        optimistic
            .beginTransaction(BeginTransactionRequest.getDefaultInstance())
            .getTransactionId();
    txPut(optimistic, free, "k"); // no wait, no lock timeout
    optimistic.commitTransaction(
        CommitTransactionRequest.newBuilder().setTransactionId(free).build());
    // the lock holder checks its key from where it locked it: the optimistic write came after
    assertStatus(
        () ->
            f.stub.commitTransaction(
                CommitTransactionRequest.newBuilder().setTransactionId(holder).build()),
        Status.Code.ABORTED,
        "a writer taking no locks");
  }
}

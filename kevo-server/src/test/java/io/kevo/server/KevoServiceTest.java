package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kevo.proto.BatchWriteRequest;
import io.kevo.proto.BeginTransactionRequest;
import io.kevo.proto.CommitTransactionRequest;
import io.kevo.proto.CompactRequest;
import io.kevo.proto.DeleteRequest;
import io.kevo.proto.GetNodeInfoRequest;
import io.kevo.proto.GetNodeInfoResponse;
import io.kevo.proto.GetRequest;
import io.kevo.proto.GetResponse;
import io.kevo.proto.GetStatsRequest;
import io.kevo.proto.GetStatsResponse;
import io.kevo.proto.Operation;
import io.kevo.proto.PutRequest;
import io.kevo.proto.RollbackTransactionRequest;
import io.kevo.proto.ScanRequest;
import io.kevo.proto.ScanResponse;
import io.kevo.proto.TxDeleteRequest;
import io.kevo.proto.TxGetRequest;
import io.kevo.proto.TxPutRequest;
import io.kevo.proto.TxScanRequest;
import io.kevo.proto.TxScanResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every RPC of kevo.KevoService over an in-process channel, and each error status it returns. */
class KevoServiceTest {
  @TempDir Path dir;
  private ServerFixture f;

  @BeforeEach
  void start() {
    f = new ServerFixture(dir);
  }

  @AfterEach
  void stop() throws InterruptedException {
    f.close();
  }

  static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private void put(String k, String v) {
    assertThat(f.stub.put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build()).getSuccess())
        .isTrue();
  }

  private GetResponse get(String k) {
    return f.stub.get(GetRequest.newBuilder().setKey(b(k)).build());
  }

  private List<String> scan(ScanRequest req) {
    List<String> keys = new ArrayList<>();
    f.stub.scan(req).forEachRemaining(r -> keys.add(r.getKey().toStringUtf8()));
    return keys;
  }

  static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(messagePart);
            });
  }

  @Test
  void putGetDeleteRoundTrip() {
    put("a", "1");
    assertThat(get("a").getFound()).isTrue();
    assertThat(get("a").getValue().toStringUtf8()).isEqualTo("1");
    assertThat(
            f.stub
                .delete(DeleteRequest.newBuilder().setKey(b("a")).setSync(true).build())
                .getSuccess())
        .isTrue();
    assertThat(get("a").getFound()).isFalse();
    assertThat(get("never").getFound()).isFalse();
  }

  @Test
  void emptyValueIsFoundNotMissing() {
    put("empty", "");
    GetResponse r = get("empty");
    assertThat(r.getFound()).isTrue();
    assertThat(r.getValue().isEmpty()).isTrue();
  }

  @Test
  void syncPutIsDurableBeforeReply() {
    long syncsBefore = f.server.db().stats().walSyncs();
    f.stub.put(PutRequest.newBuilder().setKey(b("k")).setValue(b("v")).setSync(true).build());
    assertThat(f.server.db().stats().walSyncs()).isGreaterThan(syncsBefore);
    assertThat(f.server.db().stats().durableSequence())
        .isGreaterThanOrEqualTo(f.server.db().latestSequence());
  }

  @Test
  void badKeysAndValuesAreInvalidArgument() {
    String bigKey = "k".repeat(ServerFixture.MAX_KEY + 1);
    String bigValue = "v".repeat(ServerFixture.MAX_VALUE + 1);
    assertStatus(() -> put("", "v"), Status.Code.INVALID_ARGUMENT, "key must not be empty");
    assertStatus(() -> get(""), Status.Code.INVALID_ARGUMENT, "key must not be empty");
    assertStatus(
        () -> f.stub.delete(DeleteRequest.newBuilder().setKey(ByteString.EMPTY).build()),
        Status.Code.INVALID_ARGUMENT,
        "empty");
    assertStatus(() -> put(bigKey, "v"), Status.Code.INVALID_ARGUMENT, "exceeds the limit");
    assertStatus(() -> put("k", bigValue), Status.Code.INVALID_ARGUMENT, "exceeds the limit");
    assertThat(get("k").getFound()).isFalse();
  }

  @Test
  void batchWriteIsAtomicAndValidatedAsAWhole() {
    put("gone", "x");
    BatchWriteRequest ok =
        BatchWriteRequest.newBuilder()
            .addOperations(
                Operation.newBuilder().setType(Operation.Type.PUT).setKey(b("b1")).setValue(b("1")))
            .addOperations(
                Operation.newBuilder().setType(Operation.Type.PUT).setKey(b("b2")).setValue(b("2")))
            .addOperations(Operation.newBuilder().setType(Operation.Type.DELETE).setKey(b("gone")))
            .setSync(true)
            .build();
    assertThat(f.stub.batchWrite(ok).getSuccess()).isTrue();
    assertThat(get("b1").getValue().toStringUtf8()).isEqualTo("1");
    assertThat(get("b2").getValue().toStringUtf8()).isEqualTo("2");
    assertThat(get("gone").getFound()).isFalse();

    BatchWriteRequest bad =
        BatchWriteRequest.newBuilder()
            .addOperations(
                Operation.newBuilder().setType(Operation.Type.PUT).setKey(b("c1")).setValue(b("1")))
            .addOperations(Operation.newBuilder().setType(Operation.Type.PUT).setKey(b("")))
            .build();
    assertStatus(() -> f.stub.batchWrite(bad), Status.Code.INVALID_ARGUMENT, "empty");
    assertThat(get("c1").getFound()).isFalse();

    BatchWriteRequest unknownType =
        BatchWriteRequest.newBuilder()
            .addOperations(Operation.newBuilder().setTypeValue(7).setKey(b("d")))
            .build();
    assertStatus(
        () -> f.stub.batchWrite(unknownType), Status.Code.INVALID_ARGUMENT, "unknown type 7");
  }

  @Test
  void scanHonoursRangePrefixSuffixAndLimit() {
    for (String k : List.of("a1", "a2", "b1", "b2", "b3", "c1")) {
      put(k, "v" + k);
    }
    f.stub.delete(DeleteRequest.newBuilder().setKey(b("b2")).build());

    assertThat(scan(ScanRequest.getDefaultInstance()))
        .containsExactly("a1", "a2", "b1", "b3", "c1");
    assertThat(scan(ScanRequest.newBuilder().setStartKey(b("a2")).setEndKey(b("c1")).build()))
        .containsExactly("a2", "b1", "b3");
    assertThat(scan(ScanRequest.newBuilder().setStartKey(b("b")).build()))
        .containsExactly("b1", "b3", "c1");
    assertThat(scan(ScanRequest.newBuilder().setEndKey(b("b")).build()))
        .containsExactly("a1", "a2");
    assertThat(scan(ScanRequest.newBuilder().setPrefix(b("b")).build()))
        .containsExactly("b1", "b3");
    assertThat(scan(ScanRequest.newBuilder().setSuffix(b("1")).build()))
        .containsExactly("a1", "b1", "c1");
    assertThat(scan(ScanRequest.newBuilder().setPrefix(b("a")).setSuffix(b("2")).build()))
        .containsExactly("a2");
    // A filter wins over the range, as in Kevo.
    assertThat(scan(ScanRequest.newBuilder().setPrefix(b("c")).setEndKey(b("b")).build()))
        .containsExactly("c1");
    assertThat(scan(ScanRequest.newBuilder().setLimit(2).build())).containsExactly("a1", "a2");
    assertThat(scan(ScanRequest.newBuilder().setLimit(0).build())).hasSize(5);
    assertThat(scan(ScanRequest.newBuilder().setLimit(-1).build())).hasSize(5);

    Iterator<ScanResponse> it = f.stub.scan(ScanRequest.newBuilder().setPrefix(b("c")).build());
    ScanResponse only = it.next();
    assertThat(only.getValue().toStringUtf8()).isEqualTo("vc1");
    assertThat(it.hasNext()).isFalse();
    assertThat(f.server.openScans()).isZero();
  }

  @Test
  void transactionSeesOwnWritesAndCommitsAtomically() {
    put("x", "old");
    String id =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    assertThat(id).isNotEmpty();
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(id).setKey(b("y")).setValue(b("new")).build());
    f.stub.txDelete(TxDeleteRequest.newBuilder().setTransactionId(id).setKey(b("x")).build());
    assertThat(
            f.stub
                .txGet(TxGetRequest.newBuilder().setTransactionId(id).setKey(b("y")).build())
                .getValue()
                .toStringUtf8())
        .isEqualTo("new");
    assertThat(
            f.stub
                .txGet(TxGetRequest.newBuilder().setTransactionId(id).setKey(b("x")).build())
                .getFound())
        .isFalse();
    List<String> seen = new ArrayList<>();
    Iterator<TxScanResponse> it =
        f.stub.txScan(TxScanRequest.newBuilder().setTransactionId(id).setLimit(-5).build());
    it.forEachRemaining(r -> seen.add(r.getKey().toStringUtf8()));
    assertThat(seen).containsExactly("y");
    // Not visible outside before commit.
    assertThat(get("y").getFound()).isFalse();
    assertThat(get("x").getFound()).isTrue();

    assertThat(
            f.stub
                .commitTransaction(
                    CommitTransactionRequest.newBuilder().setTransactionId(id).build())
                .getSuccess())
        .isTrue();
    assertThat(get("y").getValue().toStringUtf8()).isEqualTo("new");
    assertThat(get("x").getFound()).isFalse();
    assertThat(f.server.openTransactions()).isZero();
  }

  @Test
  void rollbackDiscardsWrites() {
    String id =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(id).setKey(b("r")).setValue(b("1")).build());
    assertThat(
            f.stub
                .rollbackTransaction(
                    RollbackTransactionRequest.newBuilder().setTransactionId(id).build())
                .getSuccess())
        .isTrue();
    assertThat(get("r").getFound()).isFalse();
    assertStatus(
        () -> f.stub.txGet(TxGetRequest.newBuilder().setTransactionId(id).setKey(b("r")).build()),
        Status.Code.NOT_FOUND,
        "rolled back");
  }

  @Test
  void unknownAndDoubleCommittedTransactionsAreNotFound() {
    assertStatus(
        () ->
            f.stub.txPut(
                TxPutRequest.newBuilder()
                    .setTransactionId("nope")
                    .setKey(b("k"))
                    .setValue(b("v"))
                    .build()),
        Status.Code.NOT_FOUND,
        "unknown transaction id 'nope'");
    String id =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    f.stub.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(id).build());
    assertStatus(
        () ->
            f.stub.commitTransaction(
                CommitTransactionRequest.newBuilder().setTransactionId(id).build()),
        Status.Code.NOT_FOUND,
        "committed");
    assertStatus(
        () ->
            f.stub.rollbackTransaction(
                RollbackTransactionRequest.newBuilder().setTransactionId(id).build()),
        Status.Code.NOT_FOUND,
        "committed");
  }

  @Test
  void emptyTransactionIdIsInvalidArgumentOnEveryTransactionCall() {
    // An open transaction must not be reachable through the empty id, whatever the call.
    String id =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(id).setKey(b("e")).setValue(b("1")).build());
    String why = "transaction_id must not be empty";
    assertStatus(
        () -> f.stub.commitTransaction(CommitTransactionRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        why);
    assertStatus(
        () -> f.stub.rollbackTransaction(RollbackTransactionRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        why);
    assertStatus(
        () -> f.stub.txGet(TxGetRequest.newBuilder().setKey(b("e")).build()),
        Status.Code.INVALID_ARGUMENT,
        why);
    assertStatus(
        () -> f.stub.txPut(TxPutRequest.newBuilder().setKey(b("e")).setValue(b("2")).build()),
        Status.Code.INVALID_ARGUMENT,
        why);
    assertStatus(
        () -> f.stub.txDelete(TxDeleteRequest.newBuilder().setKey(b("e")).build()),
        Status.Code.INVALID_ARGUMENT,
        why);
    assertStatus(
        () -> f.stub.txScan(TxScanRequest.getDefaultInstance()).hasNext(),
        Status.Code.INVALID_ARGUMENT,
        why);
    // the real transaction is untouched and still commits its own write
    f.stub.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(id).build());
    assertThat(get("e").getValue().toStringUtf8()).isEqualTo("1");
  }

  @Test
  void conflictingCommitIsAborted() {
    String t1 =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    String t2 =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(t1).setKey(b("c")).setValue(b("1")).build());
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(t2).setKey(b("c")).setValue(b("2")).build());
    f.stub.commitTransaction(CommitTransactionRequest.newBuilder().setTransactionId(t1).build());
    assertStatus(
        () ->
            f.stub.commitTransaction(
                CommitTransactionRequest.newBuilder().setTransactionId(t2).build()),
        Status.Code.ABORTED,
        "");
    assertThat(get("c").getValue().toStringUtf8()).isEqualTo("1");
    assertThat(f.server.openTransactions()).isZero();
  }

  @Test
  void readOnlyTransactionRefusesWrites() {
    String id =
        f.stub
            .beginTransaction(BeginTransactionRequest.newBuilder().setReadOnly(true).build())
            .getTransactionId();
    assertThatThrownBy(
            () ->
                f.stub.txPut(
                    TxPutRequest.newBuilder()
                        .setTransactionId(id)
                        .setKey(b("k"))
                        .setValue(b("v"))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isNotIn(Status.Code.UNKNOWN, Status.Code.OK));
  }

  @Test
  void idleAndOldTransactionsExpireAndAreRolledBack() {
    String idle =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(idle).setKey(b("i")).setValue(b("1")).build());
    f.advance(31_000);
    assertThat(f.server.sweepTransactions()).isEqualTo(1);
    assertThat(f.server.openTransactions()).isZero();
    assertStatus(
        () ->
            f.stub.commitTransaction(
                CommitTransactionRequest.newBuilder().setTransactionId(idle).build()),
        Status.Code.NOT_FOUND,
        "idle");
    assertThat(get("i").getFound()).isFalse();

    String busy =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    for (int i = 0; i < 10; i++) {
      f.advance(29_000); // never idle for 30 s...
      f.stub.txGet(TxGetRequest.newBuilder().setTransactionId(busy).setKey(b("k")).build());
    }
    f.advance(29_000); // ...but now older than 5 min
    assertStatus(
        () -> f.stub.txGet(TxGetRequest.newBuilder().setTransactionId(busy).setKey(b("k")).build()),
        Status.Code.NOT_FOUND,
        "maximum lifetime");
  }

  @Test
  void tooManyTransactionsIsResourceExhausted() throws InterruptedException {
    f.close();
    f = new ServerFixture(dir, ServerOptions.builder().maxOpenTransactions(3).build());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId());
    }
    assertStatus(
        () -> f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()),
        Status.Code.RESOURCE_EXHAUSTED,
        "too many open transactions");
    f.stub.rollbackTransaction(
        RollbackTransactionRequest.newBuilder().setTransactionId(ids.get(0)).build());
    assertThat(
            f.stub
                .beginTransaction(BeginTransactionRequest.getDefaultInstance())
                .getTransactionId())
        .isNotEmpty();
  }

  @Test
  void closingRollsBackOpenTransactions() throws InterruptedException {
    String id =
        f.stub.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransactionId();
    f.stub.txPut(
        TxPutRequest.newBuilder().setTransactionId(id).setKey(b("t")).setValue(b("1")).build());
    f.close();
    f = new ServerFixture(dir);
    assertThat(get("t").getFound()).isFalse();
  }

  @Test
  void compactReallyCompacts() {
    for (int i = 0; i < 200; i++) {
      put(String.format("k%04d", i), "v" + i);
    }
    f.server.db().flush();
    for (int i = 0; i < 200; i++) {
      put(String.format("k%04d", i), "w" + i);
    }
    f.server.db().flush();
    long compactionsBefore = f.server.db().stats().compactions();
    assertThat(f.stub.compact(CompactRequest.newBuilder().setForce(true).build()).getSuccess())
        .isTrue();
    assertThat(f.server.db().stats().compactions()).isGreaterThan(compactionsBefore);
    assertThat(f.server.db().stats().levels().get(0).files()).isZero();
    assertThat(get("k0007").getValue().toStringUtf8()).isEqualTo("w7");
  }

  @Test
  void statsReportRealNumbers() {
    put("s1", "v");
    put("s2", "v");
    get("s1");
    assertStatus(() -> get(""), Status.Code.INVALID_ARGUMENT, "");
    GetStatsResponse s = f.stub.getStats(GetStatsRequest.getDefaultInstance());
    assertThat(s.getKeyCount()).isEqualTo(2);
    assertThat(s.getMemtableCount()).isGreaterThanOrEqualTo(1);
    assertThat(s.getTotalBytesWritten()).isGreaterThanOrEqualTo(6);
    assertThat(s.getTotalBytesRead()).isEqualTo(3);
    assertThat(s.getOperationCountsMap()).containsEntry("Put", 2L).containsEntry("Get", 2L);
    assertThat(s.getLatencyStatsMap().get("Put").getCount()).isEqualTo(2);
    assertThat(s.getErrorCountsMap()).containsEntry("INVALID_ARGUMENT", 1L);
    assertThat(s.getStorageSize()).isPositive();
    assertThat(s.hasRecoveryStats()).isTrue();
  }

  @Test
  void nodeInfoIsStandaloneWithLastSequence() {
    put("n", "1");
    GetNodeInfoResponse info = f.stub.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    assertThat(info.getNodeRole()).isEqualTo(GetNodeInfoResponse.NodeRole.STANDALONE);
    assertThat(info.getLastSequence()).isEqualTo(f.server.db().latestSequence()).isPositive();
    assertThat(info.getReadOnly()).isFalse();
    assertThat(info.getVersion()).isNotBlank();
    assertThat(info.getReplicasList()).isEmpty();
  }
}

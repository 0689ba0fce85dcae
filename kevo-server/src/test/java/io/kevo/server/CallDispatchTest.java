package io.kevo.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.engine.SyncMode;
import io.kevo.proto.KevoServiceGrpc;
import io.kevo.proto.replication.WALReplicationServiceGrpc;
import org.junit.jupiter.api.Test;

class CallDispatchTest {
  private static final String GET = KevoServiceGrpc.getGetMethod().getFullMethodName();
  private static final String PUT = KevoServiceGrpc.getPutMethod().getFullMethodName();
  private static final String DELETE = KevoServiceGrpc.getDeleteMethod().getFullMethodName();
  private static final String BATCH = KevoServiceGrpc.getBatchWriteMethod().getFullMethodName();
  private static final String SCAN = KevoServiceGrpc.getScanMethod().getFullMethodName();
  private static final String ACK =
      WALReplicationServiceGrpc.getAcknowledgeMethod().getFullMethodName();
  private static final String NACK =
      WALReplicationServiceGrpc.getNegativeAcknowledgeMethod().getFullMethodName();
  private static final String STREAM =
      WALReplicationServiceGrpc.getStreamWALMethod().getFullMethodName();
  private static final String SNAPSHOT =
      WALReplicationServiceGrpc.getFetchSnapshotMethod().getFullMethodName();

  @Test
  void readsUnsyncedPointWritesAndAcknowledgementsStayOnTheEventLoop() {
    try (CallDispatch d = new CallDispatch(Dispatch.EVENT_LOOP, SyncMode.NONE)) {
      for (String inline : new String[] {GET, PUT, DELETE, ACK}) {
        assertThat(d.executorFor(inline)).as(inline).isNull();
      }
      // Everything else is handed to the pool: a batch (group commit, flush stalls), a scan, and
      // the replication calls other than Acknowledge (rare, and the stream and snapshots open
      // files).
      for (String pooled : new String[] {BATCH, SCAN, NACK, STREAM, SNAPSHOT}) {
        assertThat(d.executorFor(pooled)).as(pooled).isSameAs(d.background());
      }
    }
  }

  @Test
  void anEngineThatMaySyncOnItsOwnMovesPointWritesToThePoolButNotAcknowledgements() {
    try (CallDispatch d = new CallDispatch(Dispatch.EVENT_LOOP, SyncMode.BATCH)) {
      assertThat(d.executorFor(PUT)).isSameAs(d.background());
      assertThat(d.executorFor(DELETE)).isSameAs(d.background());
      assertThat(d.executorFor(GET)).isNull();
      assertThat(d.executorFor(ACK)).isNull();
    }
  }
}

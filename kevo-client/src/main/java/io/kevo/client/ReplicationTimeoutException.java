package io.kevo.client;

import io.grpc.Status;

/**
 * A write whose acknowledgement level was not met in time ({@code DEADLINE_EXCEEDED} from the
 * server, not the client's own deadline). The write <b>is committed on the primary</b> at {@link
 * #sequence()} and is not rolled back: it reaches the replicas as they catch up (and is lost only
 * if the primary is lost before that). Retrying it writes it again.
 */
public final class ReplicationTimeoutException extends KevoClientException {
  private static final long serialVersionUID = 1L;

  private final long sequence;
  private final int acknowledgedReplicas;

  ReplicationTimeoutException(
      String serverMessage, long sequence, int acknowledgedReplicas, Throwable cause) {
    super(Status.Code.DEADLINE_EXCEEDED, serverMessage, cause);
    this.sequence = sequence;
    this.acknowledgedReplicas = acknowledgedReplicas;
  }

  /** The write's commit sequence on the primary. */
  public long sequence() {
    return sequence;
  }

  /** How many replicas had acknowledged it when the server gave up waiting (-1 if unknown). */
  public int acknowledgedReplicas() {
    return acknowledgedReplicas;
  }
}

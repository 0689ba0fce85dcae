package io.kevo.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the {@code KevoService} handlers answer a call: a unary answer with its failure mapped by
 * {@link StatusMapper}, an answer sent later from another thread, and the copy of engine bytes into
 * a message. Stateless; thread-safe.
 */
final class Calls {
  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

  private Calls() {}

  /** Answers {@code out} with what {@code body} returns, or the status of what it throws. */
  static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toException(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  /** Answers a call from a thread other than its handler's; a call cancelled meanwhile is fine. */
  static void answerLater(StreamObserver<?> out, Runnable answer) {
    try {
      answer.run();
    } catch (RuntimeException e) {
      // The client cancelled or its deadline passed: there is nobody to answer.
      LOG.debug("could not answer a call that waited: {}", e.toString());
    }
  }

  /** Copies: the engine does not promise that the arrays it returns are never reused. */
  static ByteString wrap(byte[] bytes) {
    return ByteString.copyFrom(bytes);
  }
}

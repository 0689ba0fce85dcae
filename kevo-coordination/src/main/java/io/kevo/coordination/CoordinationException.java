package io.kevo.coordination;

/**
 * The one error of this package: ZooKeeper could not be reached in time, answered with an error, or
 * a conditional write lost its race. Unchecked; the message says which.
 */
public class CoordinationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message. */
  public CoordinationException(String message) {
    super(message);
  }

  /** An error with a message and its cause. */
  public CoordinationException(String message, Throwable cause) {
    super(message, cause);
  }
}

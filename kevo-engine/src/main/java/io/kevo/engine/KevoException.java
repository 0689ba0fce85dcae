package io.kevo.engine;

/** The single unchecked exception type of the engine: a code, a message and maybe a cause. */
public class KevoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public KevoException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public KevoException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** Whether the same call may succeed if simply tried again later. */
  public boolean retriable() {
    return code.retriable();
  }
}

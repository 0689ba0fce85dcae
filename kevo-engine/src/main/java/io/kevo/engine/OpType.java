package io.kevo.engine;

/** The kind of a logged operation; the codes are those of the WAL payload (PROTOCOL.md §2). */
public enum OpType {
  PUT(1),
  DELETE(2);

  private final int code;

  OpType(int code) {
    this.code = code;
  }

  /** The one-byte code used in WAL payloads. */
  public int code() {
    return code;
  }

  /** The type for a payload code, or {@code null} if the code is not known. */
  public static OpType fromCode(int code) {
    return switch (code) {
      case 1 -> PUT;
      case 2 -> DELETE;
      default -> null;
    };
  }
}

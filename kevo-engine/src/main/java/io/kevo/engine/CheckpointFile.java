package io.kevo.engine;

/**
 * One file of a {@link Checkpoint}: a plain file name (an SSTable {@code <20 digits>.sst} or the
 * manifest {@code MANIFEST-<n>}) and its size in bytes.
 */
public record CheckpointFile(String name, long size) {
  public CheckpointFile {
    if (!isValidName(name)) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "not a checkpoint file name: " + name);
    }
    if (size < 0) {
      throw new KevoException(ErrorCode.INVALID_ARGUMENT, "negative size of " + name);
    }
  }

  /** Whether {@code name} is an SSTable's or a manifest's name (never a path). */
  public static boolean isValidName(String name) {
    return name != null && (name.matches("[0-9]{20}\\.sst") || isManifest(name));
  }

  /** Whether {@code name} is a manifest's name. */
  public static boolean isManifest(String name) {
    return name != null && name.matches("MANIFEST-[0-9]{6,20}");
  }
}

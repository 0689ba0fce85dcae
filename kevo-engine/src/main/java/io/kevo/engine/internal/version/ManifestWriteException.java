package io.kevo.engine.internal.version;

import java.io.IOException;

/**
 * Appending an edit to the manifest failed. The edit may or may not have reached the disk, so the
 * new tables it lists now belong to the {@link VersionSet}, which keeps them until a fresh manifest
 * (written before the next edit) makes them strays: the job that wrote them must not delete them.
 * The in-memory version is unchanged.
 */
public final class ManifestWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  ManifestWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}

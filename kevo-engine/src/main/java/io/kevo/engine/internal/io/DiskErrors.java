package io.kevo.engine.internal.io;

import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Tells a full disk apart from other I/O failures. The JDK has no errno: an {@code ENOSPC} from
 * {@code write(2)} surfaces as an {@link java.io.IOException} whose message is the C library's
 * text, "No space left on device" ({@code EDQUOT}, "Disk quota exceeded", is the same condition for
 * one user), and a {@link FileSystemException} carries it as its reason.
 */
public final class DiskErrors {
  private static final int MAX_CAUSES = 16;

  private DiskErrors() {}

  /** Whether {@code failure}, or one of its causes, is the file system being out of space. */
  public static boolean isNoSpace(Throwable failure) {
    Throwable t = failure;
    for (int i = 0; t != null && i < MAX_CAUSES; i++) {
      if (mentionsNoSpace(t.getMessage())
          || (t instanceof FileSystemException f && mentionsNoSpace(f.getReason()))) {
        return true;
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return false;
  }

  private static boolean mentionsNoSpace(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("no space left on device") || m.contains("disk quota exceeded");
  }
}

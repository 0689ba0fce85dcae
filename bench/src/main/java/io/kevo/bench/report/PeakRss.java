package io.kevo.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident set size, from Linux's {@code /proc/<pid>/status}. */
public final class PeakRss {
  private PeakRss() {}

  /** {@code VmHWM} in MiB, or -1 where it cannot be read (not Linux). */
  public static double currentProcessMb() {
    return ofMb(Path.of("/proc/self/status"));
  }

  /**
   * {@code VmHWM} of process {@code pid} in MiB, or -1 where it cannot be read (gone, not Linux).
   */
  public static double ofProcessMb(long pid) {
    return ofMb(Path.of("/proc", Long.toString(pid), "status"));
  }

  private static double ofMb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}

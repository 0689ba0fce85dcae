package io.kevo.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, from Linux's {@code /proc/self/status}. */
public final class PeakRss {
  private PeakRss() {}

  /** {@code VmHWM} in MiB, or -1 where it cannot be read (not Linux). */
  public static double currentProcessMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
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

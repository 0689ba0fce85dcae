package io.kevo.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the results were measured on, for the JSON report. */
public final class MachineInfo {
  private MachineInfo() {}

  /** Cores, memory, CPU model, OS and Java, as far as they can be read. */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", procField("/proc/cpuinfo", "model name"));
    String memKb = procField("/proc/meminfo", "MemTotal");
    m.put("memory_mb", memKb == null ? -1 : Long.parseLong(memKb.replace("kB", "").trim()) / 1024);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("arch", System.getProperty("os.arch"));
    m.put("java_version", System.getProperty("java.version"));
    m.put(
        "java_vm",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    return m;
  }

  private static String procField(String file, String name) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
          return line.substring(colon + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** The 1-minute load average from {@code /proc/loadavg}; -1 where it cannot be read. */
  public static double loadAverage() {
    try {
      String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
      return Double.parseDouble(s.substring(0, s.indexOf(' ')));
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }
}

package io.kevo.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's CPU time by kind, from the first line of Linux's {@code /proc/stat}, to tell how
 * much of a window the hypervisor took: a guest's {@code steal} is time its virtual CPUs were ready
 * to run and were not. A figure taken while a large share was stolen measures the host as much as
 * the code. Stateless.
 */
public final class MachineCpu {
  private MachineCpu() {}

  /**
   * Clock ticks since boot, summed over the CPUs.
   *
   * @param total every kind (user, nice, system, idle, iowait, irq, softirq, steal)
   * @param steal the hypervisor's share
   */
  public record Sample(long total, long steal) {
    /** The share of {@code later - this} that was stolen; null if no time passed. */
    public Double stealShareUntil(Sample later) {
      long t = later.total - total;
      return t <= 0 ? null : (double) (later.steal - steal) / t;
    }
  }

  /** Now; empty where {@code /proc/stat} cannot be read (not Linux). */
  public static Optional<Sample> now() {
    try {
      return Optional.of(parse(Files.readAllLines(Path.of("/proc/stat")).get(0)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code cpu} line of {@code /proc/stat}: {@code cpu user nice system idle ... steal ...}.
   */
  static Sample parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (!f[0].equals("cpu") || f.length < 5) {
      throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
    }
    long total = 0;
    // user nice system idle iowait irq softirq steal; guest times are already in user and nice.
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      total += Long.parseLong(f[i]);
    }
    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
    return new Sample(total, steal);
  }

  /** The stolen share between two optional samples; null if either is missing. */
  public static Double stealShare(Optional<Sample> from, Optional<Sample> to) {
    return from.isPresent() && to.isPresent() ? from.get().stealShareUntil(to.get()) : null;
  }
}

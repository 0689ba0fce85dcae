package io.kevo.bench.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * CPU time consumed by a process (all its threads: application, JIT, GC), from Linux's {@code
 * /proc/<pid>/stat} ({@code utime + stime}, in clock ticks of usually 10 ms). Read it before and
 * after a window of several seconds; the difference is then exact to about 0.2%. Stateless.
 */
public final class ProcessCpu {
  /** Clock ticks per second of the stat fields. */
  static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** CPU time used so far, in user mode and in the kernel (system calls, page faults). */
  public record Sample(long userNanos, long systemNanos) {
    public long totalNanos() {
      return userNanos + systemNanos;
    }
  }

  /** What {@code pid} has used so far; empty where it cannot be read (gone, not Linux). */
  public static Optional<Sample> of(long pid) {
    try {
      return Optional.of(parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * CPU time {@code pid}'s JIT compiler threads (HotSpot's {@code C1 CompilerThread*} and {@code C2
   * CompilerThread*}) have used so far; empty where it cannot be read. Sum over the threads alive
   * now: a compiler thread that ended (HotSpot starts and stops them with the queue's length, above
   * one of each) takes all its time with it, so a difference over a window errs low, below zero at
   * worst.
   */
  public static OptionalLong compilerNanos(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long sum = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path t : threads) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        if (isCompiler(stat)) {
          sum += parseStat(stat).totalNanos();
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(sum);
  }

  /** Whether a thread's {@code stat} line names a JIT compiler thread (names are cut at 15). */
  static boolean isCompiler(String stat) {
    int open = stat.indexOf('(');
    return open >= 0
        && (stat.startsWith("C1 CompilerThre", open + 1)
            || stat.startsWith("C2 CompilerThre", open + 1));
  }

  /** What this JVM has used so far; empty where it cannot be read. */
  public static Optional<Sample> self() {
    return of(ProcessHandle.current().pid());
  }

  /**
   * {@code utime} and {@code stime} of one {@code /proc/<pid>/stat} line, in nanoseconds. The
   * command name (field 2) is in parentheses and may itself contain spaces and parentheses, so
   * fields are counted from the last {@code ')'}: state is the first after it, utime the 12th,
   * stime the 13th.
   */
  static Sample parseStat(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    return new Sample(ticksToNanos(Long.parseLong(f[11])), ticksToNanos(Long.parseLong(f[12])));
  }

  private static long ticksToNanos(long ticks) {
    return ticks * TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
  }

  /**
   * {@code sysconf(_SC_CLK_TCK)} as {@code getconf CLK_TCK} prints it; 100 (Linux's) if unknown.
   */
  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() == 0) {
        long ticks = Long.parseLong(out);
        if (ticks > 0) {
          return ticks;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}

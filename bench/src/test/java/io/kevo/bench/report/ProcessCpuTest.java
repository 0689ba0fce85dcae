package io.kevo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void countsUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0";

    ProcessCpu.Sample cpu = ProcessCpu.parseStat(stat);

    long tick = TimeUnit.SECONDS.toNanos(1) / ProcessCpu.TICKS_PER_SECOND;
    assertThat(cpu.userNanos()).isEqualTo(250 * tick);
    assertThat(cpu.systemNanos()).isEqualTo(50 * tick);
    assertThat(cpu.totalNanos()).isEqualTo(300 * tick);
  }

  @Test
  void readsThisProcessAndRejectsWhatIsNotAStatLine() throws Exception {
    long before = ProcessCpu.self().orElseThrow().totalNanos();
    long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long x = 0;
    while (System.nanoTime() < spinUntil) {
      x += System.nanoTime() % 7;
    }
    assertThat(x).isNotNegative();
    assertThat(ProcessCpu.self().orElseThrow().totalNanos()).isGreaterThan(before);
    assertThat(ProcessCpu.of(Long.MAX_VALUE)).isEmpty();
    assertThatThrownBy(() -> ProcessCpu.parseStat("no parenthesis here"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tellsTheJitCompilerThreadsApartAndSumsThemForALiveProcess() {
    assertThat(ProcessCpu.isCompiler("77 (C2 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 9 1 0")).isTrue();
    assertThat(ProcessCpu.isCompiler("78 (C1 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 9 1 0")).isTrue();
    assertThat(ProcessCpu.isCompiler("79 (GC Thread#0) S 1 2 3 0 -1 0 0 0 0 0 9 1 0")).isFalse();
    assertThat(ProcessCpu.isCompiler("80 (kevo-rpc-1) S 1 2 3 0 -1 0 0 0 0 0 9 1 0")).isFalse();

    long self = ProcessHandle.current().pid();
    long all = ProcessCpu.self().orElseThrow().totalNanos();
    long jit = ProcessCpu.compilerNanos(self).orElseThrow();
    assertThat(jit).isNotNegative().isLessThanOrEqualTo(all);
    assertThat(ProcessCpu.compilerNanos(Long.MAX_VALUE)).isEmpty();
  }
}

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

    long nanos = ProcessCpu.parseStat(stat);

    assertThat(nanos).isEqualTo(300 * TimeUnit.SECONDS.toNanos(1) / ProcessCpu.TICKS_PER_SECOND);
    assertThat(ProcessCpu.parseStat(stat.replace(" 250 50 ", " 0 0 "))).isZero();
  }

  @Test
  void readsThisProcessAndRejectsWhatIsNotAStatLine() throws Exception {
    long before = ProcessCpu.selfNanos().orElseThrow();
    long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long x = 0;
    while (System.nanoTime() < spinUntil) {
      x += System.nanoTime() % 7;
    }
    assertThat(x).isNotNegative();
    assertThat(ProcessCpu.selfNanos().orElseThrow()).isGreaterThan(before);
    assertThat(ProcessCpu.nanos(Long.MAX_VALUE)).isEmpty();
    assertThatThrownBy(() -> ProcessCpu.parseStat("no parenthesis here"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

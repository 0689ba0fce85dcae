package io.kevo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LockAcrossProcessesTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void secondOpenerInAnotherProcessFailsNamingTheHolderAndDataIsIntact() throws Exception {
    Process holder = ChildJvm.start(HoldOpenMain.class, dir.toString());
    try {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("OPEN");
      assertThatThrownBy(() -> KevoDB.open(dir))
          .isInstanceOf(KevoException.class)
          .hasMessageContaining("already open by process " + holder.pid())
          .extracting(e -> ((KevoException) e).code())
          .isEqualTo(ErrorCode.LOCKED);
    } finally {
      holder.destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
    // The OS released the dead holder's lock: the directory opens and its write is there.
    try (KevoDB db = KevoDB.open(dir)) {
      assertThat(db.get(TestData.b("held"))).isPresent();
    }
  }
}

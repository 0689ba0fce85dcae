package io.kevo.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals the JDK cannot send ({@link Process} sends only SIGTERM and SIGKILL), through the
 * system's {@code kill} command.
 */
public final class Signals {
  private Signals() {}

  /**
   * Sends {@code signal} (a name without the SIG prefix, e.g. {@code STOP}, {@code CONT}) to {@code
   * pid} and waits for {@code kill} to finish.
   *
   * @throws IOException if {@code kill} cannot run or fails (e.g. no such process)
   */
  public static void send(long pid, String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
      throw new IOException("kill -s " + signal + " " + pid + " did not finish");
    }
    if (kill.exitValue() != 0) {
      String out =
          new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      throw new IOException("kill -s " + signal + " " + pid + " failed: " + out.strip());
    }
  }
}

package io.kevo.engine;

import java.nio.file.Path;

/** Child process of {@link LockAcrossProcessesTest}: opens a database and waits to be killed. */
public final class HoldOpenMain {
  private HoldOpenMain() {}

  public static void main(String[] args) throws Exception {
    try (KevoDB db = KevoDB.open(Path.of(args[0]))) {
      db.put(TestData.b("held"), TestData.b("yes"));
      System.out.println("OPEN");
      System.out.flush();
      System.in.read();
    }
  }
}

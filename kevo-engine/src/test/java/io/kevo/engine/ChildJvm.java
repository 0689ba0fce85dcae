package io.kevo.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a child JVM with this JVM's classpath. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Class<?> main, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(tmpLog())));
    return pb.start();
  }

  private static String tmpLog() {
    return System.getProperty("java.io.tmpdir") + File.separator + "kevo-child-jvm.log";
  }
}

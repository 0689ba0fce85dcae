package io.kevo.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code kevo --version}: the version from the jar manifest, and the running JVM. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "kevo " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}

package io.kevo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code kevo --version}: the version and the git commit the build ran on, then the running JVM.
 *
 * <p>Both come from {@value #BUILD_INFO}, which the build writes (kevo-cli/pom.xml, execution
 * {@code build-info}); the commit is {@code unknown} when the build had no git repository, and ends
 * in {@code -dirty} when tracked files had uncommitted changes. Run from classes that the build did
 * not produce (an IDE), the version falls back to the jar manifest's and the commit is {@code
 * unknown}. Stateless and thread-safe.
 */
final class VersionProvider implements IVersionProvider {
  /** The resource, next to this class, that the build writes. */
  static final String BUILD_INFO = "kevo-build.properties";

  static final String UNKNOWN = "unknown";

  @Override
  public String[] getVersion() {
    Properties build = buildInfo();
    String version =
        build.getProperty("version", Main.class.getPackage().getImplementationVersion());
    return new String[] {
      "kevo "
          + (version == null ? "(development build)" : version)
          + " (commit "
          + build.getProperty("commit", UNKNOWN)
          + ")",
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /** {@value #BUILD_INFO}, or no properties if the build did not write it. */
  static Properties buildInfo() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(BUILD_INFO)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUILD_INFO + " from the kevo jar", e);
    }
    return p;
  }
}

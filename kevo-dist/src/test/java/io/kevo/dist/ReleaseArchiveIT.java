package io.kevo.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kevo.client.KevoClient;
import io.kevo.testkit.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code package} built ({@code kevo-VERSION.tar.gz}), unpacked with tar
 * and used as on a machine that has only a JDK: its layout and licenses, {@code bin/kevo
 * --version}, the launcher's Java check, a node started from it with the shipped config that serves
 * a write and a read and stops on SIGTERM, and the systemd unit checked by {@code systemd-analyze
 * verify}.
 *
 * <p>A failsafe integration test: the build passes the archive's path ({@code kevo.dist.archive}),
 * the version and the repository's directory as system properties (kevo-dist/pom.xml).
 */
class ReleaseArchiveIT {
  @TempDir static Path unpacked;
  @TempDir Path tmp;

  private static String version;
  private static Path repository;
  private static UnpackedArchive archive;

  @BeforeAll
  static void unpackTheArchive() throws IOException, InterruptedException {
    version = property("kevo.dist.version");
    repository = Path.of(property("kevo.dist.repository")).toRealPath();
    Path file = Path.of(property("kevo.dist.archive"));
    assertThat(file).isRegularFile().hasFileName("kevo-" + version + ".tar.gz");
    archive = UnpackedArchive.unpack(file, unpacked);
  }

  @Test
  void archiveHoldsLauncherLibrariesConfigSystemdUnitAndLicenses() throws IOException {
    Path home = archive.home();
    assertThat(home).hasFileName("kevo-" + version);
    assertThat(Files.getPosixFilePermissions(archive.launcher()))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(home.resolve("lib").resolve("kevo-cli-" + version + ".jar")).isRegularFile();
    assertThat(home.resolve("systemd").resolve("kevo.service")).isRegularFile();
    assertThat(home.resolve("NOTICE")).isRegularFile();
    // The repository's one sample configuration, shipped unchanged.
    assertThat(home.resolve("conf").resolve("kevo.properties"))
        .hasSameBinaryContentAs(repository.resolve("docs").resolve("kevo.properties"));

    // Every third-party jar in lib/ is in LICENSE with its version, and every license text that
    // LICENSE points to is in the archive.
    String license = Files.readString(home.resolve("LICENSE"), UTF_8);
    List<String> jars;
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).allMatch(name -> name.endsWith(".jar")).hasSizeGreaterThan(20);
    for (String jar : jars) {
      if (jar.startsWith("kevo-")) {
        assertThat(jar).endsWith("-" + version + ".jar");
        continue;
      }
      assertThat(listedInLicense(license, jar)).as("%s listed in LICENSE", jar).isTrue();
    }
    Matcher texts = Pattern.compile("(?m)^    text    (.+)$").matcher(license);
    int entries = 0;
    while (texts.find()) {
      for (String text : texts.group(1).split(", ")) {
        assertThat(home.resolve(text)).as("license text named in LICENSE").isRegularFile();
      }
      entries++;
    }
    assertThat(entries).as("LICENSE entries").isEqualTo(jars.size() - kevoJars(jars));
    // Every jar that carries a NOTICE file (Apache-2.0 section 4d) has it in NOTICE.
    String notice = Files.readString(home.resolve("NOTICE"), UTF_8);
    for (String jar : jars) {
      if (!jar.startsWith("kevo-") && carriesNotice(home.resolve("lib").resolve(jar))) {
        assertThat(notice).as("NOTICE names lib/%s", jar).contains("lib/" + jar);
      }
    }
    // Nothing of the build: no Maven wrapper, no sources.
    assertThat(home.resolve("mvnw")).doesNotExist();
    assertThat(home.resolve("pom.xml")).doesNotExist();
  }

  private static boolean carriesNotice(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().anyMatch(e -> e.getName().matches("META-INF/NOTICE(\\.txt|\\.md)?"));
    }
  }

  private static long kevoJars(List<String> jars) {
    return jars.stream().filter(j -> j.startsWith("kevo-")).count();
  }

  /** Removes the test's symlinks itself: JUnit warns of each one it finds in a temp dir. */
  @AfterEach
  void removeSymlinks() throws IOException {
    List<Path> links;
    try (Stream<Path> all = Files.walk(tmp)) {
      links = all.filter(Files::isSymbolicLink).toList();
    }
    for (Path link : links) {
      Files.delete(link);
    }
  }

  /** Whether LICENSE has an entry {@code group:ARTIFACT} whose next line is {@code version V}. */
  private static boolean listedInLicense(String license, String jar) {
    String base = jar.substring(0, jar.length() - ".jar".length());
    Matcher entry = Pattern.compile("(?m)^[^:\\s]+:(\\S+)\\n    version (\\S+)$").matcher(license);
    while (entry.find()) {
      if (base.equals(entry.group(1) + "-" + entry.group(2))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void versionNamesTheReleaseAndTheCommitItWasBuiltFromThroughASymlinkWithJavaOnPath()
      throws IOException, InterruptedException {
    // java on PATH, no JAVA_HOME; run through a symlink from another directory, as
    // /usr/local/bin/kevo -> /opt/kevo/bin/kevo.
    Map<String, String> env =
        Map.of(
            "PATH", UnpackedArchive.baseTools(tmp.resolve("tools")) + ":" + jdk().resolve("bin"));
    Path link = Files.createDirectories(tmp.resolve("elsewhere")).resolve("kevo");
    Files.createSymbolicLink(link, archive.launcher());

    UnpackedArchive.Run run = archive.kevo(tmp, env, link, "", "--version");

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    assertThat(run.outLines()).hasSize(2);
    Matcher first =
        Pattern.compile("kevo (\\S+) \\(commit (\\S+)\\)").matcher(run.outLines().get(0));
    assertThat(first.matches()).as(run.out()).isTrue();
    assertThat(first.group(1)).isEqualTo(version);
    String head = gitHead();
    if (head == null) {
      assertThat(first.group(2)).isEqualTo("unknown");
    } else {
      assertThat(first.group(2)).matches(head + "(-dirty)?");
    }
    assertThat(run.outLines().get(1)).startsWith("Java " + System.getProperty("java.version"));
  }

  /** {@code git rev-parse --short=12 HEAD} of the repository; null without .git or git. */
  private String gitHead() throws IOException, InterruptedException {
    if (!Files.exists(repository.resolve(".git"))) {
      return null;
    }
    Process git;
    try {
      git =
          new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
              .directory(repository.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException noGit) {
      return null;
    }
    String out = new String(git.getInputStream().readAllBytes(), UTF_8).trim();
    return git.waitFor() == 0 ? out : null;
  }

  @Test
  void launcherRefusesAJavaOlderThan17AndAMissingJavaWithAClearMessage()
      throws IOException, InterruptedException {
    // An installation that says it is Java 11 (its release file; the launcher reads no further).
    Path java11 = tmp.resolve("jdk-11");
    Files.createDirectories(java11.resolve("bin"));
    Files.writeString(java11.resolve("release"), "JAVA_VERSION=\"11.0.22\"\n", UTF_8);
    Path java = java11.resolve("bin").resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"java 11 ran\"\n", UTF_8);
    Files.setPosixFilePermissions(
        java, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
    String tools = UnpackedArchive.baseTools(tmp.resolve("tools")).toString();

    UnpackedArchive.Run old =
        archive.kevo(
            tmp,
            Map.of("PATH", tools, "JAVA_HOME", java11.toString()),
            archive.launcher(),
            "",
            "--version");
    assertThat(old.status()).isEqualTo(2);
    assertThat(old.out()).isEmpty();
    assertThat(old.err()).contains("needs Java 17 or newer", "Java 11.0.22", "JAVA_HOME");

    UnpackedArchive.Run none =
        archive.kevo(tmp, Map.of("PATH", tools), archive.launcher(), "", "--version");
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("no Java found", "17");
  }

  @Test
  void nodeStartedFromTheArchiveWithItsConfigServesWritesAndReadsAndStopsOnSigterm()
      throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", UnpackedArchive.baseTools(tmp.resolve("tools")).toString());
    env.put("JAVA_HOME", jdk().toString());
    env.put("HOME", tmp.toString());
    Path data = tmp.resolve("data");
    Path conf = archive.home().resolve("conf").resolve("kevo.properties");
    // The shipped config as is; the test's flags (--data, --listen on an ephemeral port,
    // --port-file) override its keys. INFO logging through KEVO_JAVA_OPTS shows the clean close;
    // the heap is left to the launcher, which sizes it from the config's memtable and cache.
    try (NodeProcess node =
        new NodeProcess(
            archive.serverLauncher(env),
            "archive-node",
            tmp,
            data,
            0,
            List.of("-Dkevo.log.level=INFO"),
            List.of("--config", conf.toString()))) {
      node.start();
      String commandLine =
          Files.readString(Path.of("/proc", Long.toString(node.pid()), "cmdline"))
              .replace('\0', ' ');
      assertThat(commandLine)
          .as("2 x 64 MiB memtables + 64 MiB cache + 64 MiB engine + 128 MiB server")
          .contains(" -Xmx384m ");

      UnpackedArchive.Run shell =
          archive.kevo(
              tmp,
              env,
              archive.launcher(),
              "PUT release:1 \"from the archive\"\nGET release:1\n",
              "shell",
              "--connect",
              node.address());
      assertThat(shell.err()).isEmpty();
      assertThat(shell.status()).isZero();
      assertThat(shell.outLines()).containsExactly("OK", "\"from the archive\"");

      try (KevoClient client = KevoClient.connect(node.address())) {
        assertThat(client.get(bytes("release:1")))
            .map(v -> new String(v, UTF_8))
            .contains("from the archive");
      }

      assertThat(node.terminate()).as("exit status after SIGTERM").isZero();
      assertThat(node.logText())
          .contains("Kevo server listening on " + node.address())
          .contains("closed " + data + " at sequence ")
          .contains("Kevo server stopped cleanly")
          .doesNotContain(" ERROR ")
          .doesNotContain("maximum heap");
    }
    assertThat(data).isDirectory();
  }

  @Test
  void systemdUnitPassesSystemdAnalyzeVerify() throws IOException, InterruptedException {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(
        Files.isExecutable(analyze),
        "systemd-analyze is not installed: the unit file is not verified on this machine");
    String unit =
        Files.readString(archive.home().resolve("systemd").resolve("kevo.service"), UTF_8);
    assertThat(unit)
        .contains("ExecStart=/opt/kevo/bin/kevo server --config /etc/kevo/kevo.properties");
    // verify checks that ExecStart's program exists and is executable: point it at this copy.
    Path copy = tmp.resolve("kevo.service");
    Files.writeString(copy, unit.replace("/opt/kevo/", archive.home() + "/"), UTF_8);

    Process verify =
        new ProcessBuilder(analyze.toString(), "verify", copy.toString())
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(verify.getInputStream().readAllBytes(), UTF_8);
    assertThat(verify.waitFor()).as(output).isZero();
    // It exits 0 even for an unknown key or a bad value, which it only prints.
    assertThat(output).isEmpty();
  }

  private static Path jdk() {
    return Path.of(System.getProperty("java.home"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property %s (set by kevo-dist/pom.xml)", name).isNotBlank();
    return value;
  }
}

package io.kevo.cli;

import io.kevo.server.ServerOptions;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The flags of {@code kevo server} that decide who may call it (each also a config-file key of the
 * same name): the roles file, and whether an open port beyond loopback is accepted. Not thread-safe
 * (picocli fills it once).
 */
final class AccessFlags {
  @Option(
      names = "--auth-file",
      paramLabel = "FILE",
      description =
          "Who may do what: lines of ROLES cert SUBJECT or ROLES token NAME sha256:HEX (roles"
              + " read, write, replicate, admin, all); re-read when it changes. See kevo auth"
              + " token.")
  String authFile;

  @Option(
      names = "--insecure",
      description =
          "Listen on a non-loopback address without authentication (no --auth-file, no required"
              + " client certificates): anyone who reaches the port may read, write, replicate and"
              + " promote. Refused without this flag.")
  Boolean insecure;

  /** Sets the access options of {@code b} from the flags and the config file. */
  void apply(ServerOptions.Builder b, Properties file) {
    String f = ServerCommand.setting(authFile, file, "auth-file", null);
    if (f != null) {
      b.authFile(Path.of(f));
    }
    String open =
        ServerCommand.setting(
            insecure == null ? null : insecure.toString(), file, "insecure", null);
    if (open != null) {
      b.insecure(Boolean.parseBoolean(open.trim()));
    }
  }
}

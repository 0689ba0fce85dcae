package io.kevo.cli;

import io.kevo.server.auth.AuthFile;
import io.kevo.server.auth.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kevo auth}: helpers for a node's {@code --auth-file}. */
@Command(
    name = "auth",
    description = "Helpers for a node's --auth-file.",
    subcommands = {AuthCommand.Token.class})
final class AuthCommand {
  /** {@code kevo auth token NAME --roles R --token-file FILE}. */
  @Command(
      name = "token",
      description = {
        "Makes a new random bearer token: writes it to --token-file (readable by its owner only;"
            + " give the file to the client, e.g. kevo shell --token-file) and prints the line"
            + " that grants it --roles, for the node's --auth-file. The node keeps only the"
            + " token's SHA-256."
      })
  static final class Token implements Callable<Integer> {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Parameters(index = "0", paramLabel = "NAME", description = "The token's name in logs.")
    String name;

    @Option(
        names = "--roles",
        required = true,
        paramLabel = "ROLES",
        description = "What it may do: read, write, replicate, admin (comma-separated) or all.")
    String roles;

    @Option(
        names = "--token-file",
        required = true,
        paramLabel = "FILE",
        description = "Where to write the token (must not exist yet).")
    Path tokenFile;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (!name.matches("[A-Za-z0-9._@-]+")) {
        throw new ParameterException(
            spec.commandLine(),
            "NAME may hold letters, digits and . _ @ - only, got '" + name + "'");
      }
      Set<Role> granted;
      try {
        granted = Role.parseList(roles);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--roles: " + e.getMessage());
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try {
        Files.createFile(
            tokenFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        throw new ParameterException(
            spec.commandLine(), "--token-file " + tokenFile + " exists; not overwriting it");
      }
      Files.writeString(tokenFile, token + "\n");
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          granted.stream().map(Role::label).sorted().collect(Collectors.joining(","))
              + " token "
              + name
              + " sha256:"
              + AuthFile.sha256(token));
      out.flush();
      return ExitCodes.OK;
    }
  }
}

package io.kevo.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what on a node: the {@code --auth-file}. One grant per line, {@code #} starts a
 * comment:
 *
 * <pre>
 * # ROLES          KIND   IDENTITY
 * read,write       cert   CN=app,O=Example
 * replicate        cert   CN=replica-1
 * read             token  dashboards  sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
 * </pre>
 *
 * <p>{@code cert} names a client certificate's subject as the server reads it (RFC 2253, e.g.
 * {@code CN=app,O=Example}: the rest of the line). {@code token} names a bearer token (sent as
 * {@code authorization: Bearer TOKEN}) by a name used in logs, and keeps only the SHA-256 of the
 * token, in hex ({@code kevo auth token} makes a token and its line). Roles: {@code read}, {@code
 * write}, {@code replicate}, {@code admin}, or {@code all}. Immutable once read.
 */
public final class AuthFile {
  /** A token's grant: its name (for logs) and roles. */
  record TokenGrant(String name, Set<Role> roles) {}

  private final Map<String, Set<Role>> certificates;
  private final Map<String, TokenGrant> tokens; // by SHA-256 hex

  private AuthFile(Map<String, Set<Role>> certificates, Map<String, TokenGrant> tokens) {
    this.certificates = certificates;
    this.tokens = tokens;
  }

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming the line for a malformed one, or if it cannot be read
   */
  public static AuthFile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the auth file " + file + ": " + e, e);
    }
    Map<String, Set<Role>> certs = new HashMap<>();
    Map<String, TokenGrant> tokens = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1) + ": ";
      String[] f = line.split("\\s+", 3);
      if (f.length < 3) {
        throw new IllegalArgumentException(
            where + "expected ROLES cert SUBJECT or ROLES token NAME sha256:HEX");
      }
      Set<Role> roles;
      try {
        roles = Role.parseList(f[0]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
      switch (f[1].toLowerCase(Locale.ROOT)) {
        case "cert" -> certs.put(f[2].strip(), Set.copyOf(roles));
        case "token" -> {
          String[] t = f[2].strip().split("\\s+");
          if (t.length != 2 || !t[1].startsWith("sha256:") || !isSha256Hex(t[1].substring(7))) {
            throw new IllegalArgumentException(
                where
                    + "expected ROLES token NAME sha256:HEX (64 hex digits; see kevo auth token)");
          }
          tokens.put(
              t[1].substring(7).toLowerCase(Locale.ROOT), new TokenGrant(t[0], Set.copyOf(roles)));
        }
        default ->
            throw new IllegalArgumentException(where + "'" + f[1] + "' is not cert or token");
      }
    }
    return new AuthFile(Map.copyOf(certs), Map.copyOf(tokens));
  }

  /** The roles of the certificate whose subject is {@code subject}, or null if it has none. */
  Set<Role> certificate(String subject) {
    return certificates.get(subject);
  }

  /** The grant of the bearer token {@code token}, or null for a token not in the file. */
  TokenGrant token(String token) {
    return tokens.get(sha256(token));
  }

  /** The SHA-256 of {@code token} in hex, as the file keeps it. */
  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static boolean isSha256Hex(String s) {
    return s.length() == 64 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }
}

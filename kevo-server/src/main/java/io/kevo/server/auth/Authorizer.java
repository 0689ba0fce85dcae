package io.kevo.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an identity may call a method: by the {@link AuthFile} (re-read when it changes:
 * {@link #reloadIfChanged()}), or, without one on a node that requires client certificates, every
 * certificate its CA signed has every role. Thread-safe.
 */
public final class Authorizer {
  private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

  private final Path file; // null: every verified certificate has every role
  private volatile AuthFile grants;
  private volatile long stamp;
  private final java.util.concurrent.atomic.AtomicLong refusedReloads =
      new java.util.concurrent.atomic.AtomicLong();

  private Authorizer(Path file) {
    this.file = file;
    if (file != null) {
      this.stamp = stamp(file);
      this.grants = AuthFile.read(file);
    }
  }

  /**
   * Roles from {@code file}.
   *
   * @throws IllegalArgumentException if it cannot be read or is malformed
   */
  public static Authorizer fromFile(Path file) {
    return new Authorizer(file);
  }

  /** Every client with a certificate the node's CA signed has every role (no auth file). */
  public static Authorizer anyVerifiedCertificate() {
    return new Authorizer(null);
  }

  /** Re-reads the auth file if it changed; a file that no longer parses keeps the last grants. */
  public void reloadIfChanged() {
    if (file == null) {
      return;
    }
    long now = stamp(file);
    if (now == stamp) {
      return;
    }
    try {
      grants = AuthFile.read(file);
      stamp = now;
      LOG.info("auth file {} re-read", file);
    } catch (IllegalArgumentException e) {
      stamp = now;
      refusedReloads.incrementAndGet();
      LOG.error(
          "auth file {} changed but is not valid; the previous grants stay: {}",
          file,
          e.getMessage());
    }
  }

  /** Changes of the auth file that did not parse (the grants before them stayed). */
  public long refusedReloads() {
    return refusedReloads.get();
  }

  /** The roles of the certificate {@code subject}, or null if it has none. */
  Set<Role> certificateRoles(String subject) {
    return file == null ? EnumSet.allOf(Role.class) : grants.certificate(subject);
  }

  /** The grant of bearer token {@code token}, or null if it has none (or tokens are not used). */
  AuthFile.TokenGrant tokenGrant(String token) {
    return file == null ? null : grants.token(token);
  }

  /** Whether roles come from a file (else from the certificate alone). */
  boolean hasFile() {
    return file != null;
  }

  private static long stamp(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }
}

package io.kevo.server.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What an identity may do on a node. */
public enum Role {
  /** {@code Get}, {@code Scan}, transactions' reads, {@code GetStats}, {@code GetNodeInfo}. */
  READ,
  /** {@code Put}, {@code Delete}, {@code BatchWrite}, and writes inside transactions. */
  WRITE,
  /** The WAL replication service: stream the log, fetch a snapshot (replicas, backups). */
  REPLICATE,
  /** {@code Promote}, {@code Repoint}, {@code Compact}. */
  ADMIN;

  /** The name as written in an auth file and in messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Roles written {@code read,write} (or {@code all}).
   *
   * @throws IllegalArgumentException naming the roles there are
   */
  public static Set<Role> parseList(String text) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : text.split(",")) {
      String r = part.trim().toLowerCase(Locale.ROOT);
      if (r.equals("all")) {
        roles.addAll(EnumSet.allOf(Role.class));
        continue;
      }
      try {
        roles.add(valueOf(r.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + part.trim() + "' is not a role; roles are read, write, replicate, admin, all");
      }
    }
    return roles;
  }
}

package io.kevo.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The {@code kevo server --config FILE} properties file: which keys it accepts, and loading it with
 * every key checked. The keys are the server's long options without the dashes; {@code config}
 * itself and {@code port-file} are flags only. A key not in {@link #KEYS} (a typo such as {@code
 * compresion}) is an error naming the file, the key and the closest valid key, so that a setting is
 * never silently ignored. Stateless and thread-safe.
 */
public final class ServerConfigFile {
  /**
   * Every key a config file may hold, in the order of the server's help. The one list of them: the
   * help text, the README's server section and {@code docs/kevo.properties} all follow it.
   */
  public static final List<String> KEYS =
      List.of(
          "data",
          "listen",
          "role",
          "primary",
          "advertise",
          "metrics-listen",
          "tls-cert",
          "tls-key",
          "tls-ca",
          "tls-client-auth",
          "replication-tls-ca",
          "replication-tls-cert",
          "replication-tls-key",
          "auth-file",
          "insecure",
          "sync",
          "memtable-mb",
          "wal-segment-mb",
          "cache-mb",
          "compression",
          "replication-ack",
          "replication-ack-timeout",
          "min-replicas-to-write",
          "read-wait-timeout",
          "transactions",
          "repl-retention-mb",
          "max-bootstraps",
          "coordinator",
          "cluster",
          "shard",
          "node-id",
          "no-promote",
          "failover-max-lag",
          "failover-min-interval",
          "failover-grace",
          "coordinator-session-timeout");

  private ServerConfigFile() {}

  /**
   * Reads {@code file} (ISO-8859-1 escapes as {@link Properties#load(Reader)}, but UTF-8 text) and
   * checks its keys.
   *
   * @throws IllegalArgumentException if it cannot be read, or holds a key not in {@link #KEYS}; the
   *     message names the file and, for a key, the closest valid one
   */
  public static Properties load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read config file " + file + ": " + e.getMessage(), e);
    }
    // Sorted, so that a file with several bad keys always reports the same one first.
    for (String key : new TreeSet<>(p.stringPropertyNames())) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(unknownKey(file, key));
      }
    }
    return p;
  }

  private static String unknownKey(Path file, String key) {
    String closest = closest(key);
    return "unknown key '"
        + key
        + "' in config file "
        + file
        + (closest != null
            ? "; did you mean '" + closest + "'?"
            : " (valid keys: " + String.join(", ", KEYS) + ")");
  }

  /**
   * The valid key nearest to {@code key} by edit distance, or null if none is near enough to be a
   * likely typo (more than a third of its letters changed).
   */
  static String closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : KEYS) {
      int d = distance(key.toLowerCase(java.util.Locale.ROOT), candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}

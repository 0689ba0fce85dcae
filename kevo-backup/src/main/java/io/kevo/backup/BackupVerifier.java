package io.kevo.backup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a backup can be restored: its manifest is valid and every file it lists (its own and
 * the shared tables) is present with the size and CRC-32C the manifest records. Reads every byte.
 * Stateless; a {@code checked} map passed in belongs to the caller's thread.
 */
public final class BackupVerifier {
  private BackupVerifier() {}

  /** What is wrong with backup {@code m} of {@code repo}: empty if it is intact. */
  public static List<String> problems(BackupRepository repo, BackupManifest m) {
    return problems(repo, m, new HashMap<>());
  }

  /**
   * As {@link #problems(BackupRepository, BackupManifest)}, reading each shared table once across
   * calls that pass the same {@code checked} (stored path to its problem, or "" if intact), so that
   * verifying every backup of a directory reads each table once.
   */
  public static List<String> problems(
      BackupRepository repo, BackupManifest m, Map<String, String> checked) {
    List<String> out = new ArrayList<>();
    for (BackupManifest.StoredFile f : m.files()) {
      String p =
          f.shared()
              ? checked.computeIfAbsent(
                  f.path(), k -> orEmpty(FileCheck.problem(repo.path(f), f, null)))
              : orEmpty(FileCheck.problem(repo.path(f), f, null));
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}

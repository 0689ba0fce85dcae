package io.kevo.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a backup can be restored: its manifest is valid and every file it lists (its own and
 * the shared tables) is present with the size and CRC-32C the manifest records. Reads every byte.
 * Stateless.
 */
public final class BackupVerifier {
  private BackupVerifier() {}

  /** What is wrong with backup {@code m} of {@code repo}: empty if it is intact. */
  public static List<String> problems(BackupRepository repo, BackupManifest m) {
    List<String> out = new ArrayList<>();
    for (BackupManifest.StoredFile f : m.files()) {
      String p = FileCheck.problem(repo.path(f), f, null);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }
}

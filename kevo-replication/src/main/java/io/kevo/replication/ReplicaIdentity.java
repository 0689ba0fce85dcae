package io.kevo.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A replica's stable id, kept in {@code <data>/replication/replica-id} (one line of ASCII). Created
 * once, atomically (written to a temporary file, synced, renamed, directory synced), and read back
 * on every start, so the primary recognises the replica across restarts. Stateless.
 */
final class ReplicaIdentity {
  static final String DIRECTORY = "replication";
  static final String FILE = "replica-id";

  private ReplicaIdentity() {}

  /** The id in {@code dataDir}, created if there is none. */
  static String loadOrCreate(Path dataDir) {
    Path dir = dataDir.resolve(DIRECTORY);
    Path file = dir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (id.isEmpty() || !id.chars().allMatch(c -> c > 32 && c < 127)) {
          throw new IllegalStateException(
              file + " does not hold a replica id; fix or delete it (a new id is a new replica)");
        }
        return id;
      }
      Files.createDirectories(dir);
      String id = UUID.randomUUID().toString();
      Path tmp = dir.resolve(FILE + ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      } catch (IOException e) {
        // Some file systems cannot sync a directory; the rename is still atomic.
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the replica id in " + file, e);
    }
  }
}

package io.kevo.replication;

import io.kevo.engine.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A replica's stable id, kept in {@code <data>/replication/replica-id} (one line of ASCII). Created
 * once, atomically ({@link DurableFiles}), and read back on every start, so the primary recognises
 * the replica across restarts. Stateless.
 */
public final class ReplicaIdentity {
  public static final String DIRECTORY = "replication";
  static final String FILE = "replica-id";

  private ReplicaIdentity() {}

  /** The id in {@code dataDir}, created if there is none. */
  public static String loadOrCreate(Path dataDir) {
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
      String id = UUID.randomUUID().toString();
      DurableFiles.replace(file, StandardCharsets.US_ASCII.encode(id + "\n"));
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the replica id in " + file, e);
    }
  }
}

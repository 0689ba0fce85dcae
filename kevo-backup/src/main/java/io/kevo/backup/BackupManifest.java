package io.kevo.backup;

import io.kevo.engine.CheckpointFile;
import io.kevo.engine.DurableFiles;
import io.kevo.replication.EpochHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The description of one complete backup, kept in {@code backups/<id>/BACKUP}: written last, after
 * every file it lists is durable, so a backup without a valid one is not a backup. Immutable.
 *
 * <p>Format (UTF-8 text, {@code '\n'} line ends, fields separated by one space; names and ids never
 * hold spaces):
 *
 * <pre>
 * kevo-backup 1                              magic and format version
 * id ID                                      the backup's id (also its directory's name)
 * created MILLIS                             when it was committed (ms since the epoch, UTC)
 * source HOST:PORT                           the primary it was taken from
 * snapshot SNAPSHOT-ID                       the primary's name of the transfer (in its log)
 * sequence S                                 every write up to S is in the backup, none after
 * primary-last-sequence N                    the primary's last sequence when it took the snapshot
 * epoch EPOCH TERM-ID START-SEQUENCE NODE-ID  0..n lines: the primary's epoch history, in order
 * file NAME SIZE CRC32C PATH                 1..n lines, in the snapshot's order (manifest last):
 *                                            the database file NAME, its size, the CRC-32C of its
 *                                            bytes (8 hex digits) and where it is stored, relative
 *                                            to the backup directory ('/'-separated)
 * stored-bytes B                             bytes this backup added (not shared with older ones)
 * crc32c C                                   CRC-32C (8 hex digits) of every byte above this line
 * </pre>
 *
 * A reader refuses another magic, a newer version, a missing field and a checksum mismatch.
 */
public record BackupManifest(
    String id,
    long createdMillis,
    String source,
    String snapshotId,
    long sequence,
    long primaryLastSequence,
    EpochHistory epochs,
    List<StoredFile> files,
    long storedBytes) {

  /** The manifest's file name inside a backup's directory. */
  public static final String FILE = "BACKUP";

  static final String MAGIC = "kevo-backup";
  static final int VERSION = 1;

  /**
   * One database file of the backup.
   *
   * @param name the file's name in a data directory ({@code <20 digits>.sst} or {@code
   *     MANIFEST-<n>})
   * @param size bytes
   * @param crc32c CRC-32C of its bytes
   * @param path where it is stored, relative to the backup directory, '/'-separated
   */
  public record StoredFile(String name, long size, int crc32c, String path) {
    public StoredFile {
      if (!CheckpointFile.isValidName(name) || size < 0 || path.isEmpty() || path.contains(" ")) {
        throw new IllegalArgumentException("bad stored file: " + name + " " + size + " " + path);
      }
      if (path.startsWith("/") || path.contains("..")) {
        throw new IllegalArgumentException("stored path outside the backup directory: " + path);
      }
    }

    /** Whether it is stored in the shared area (possibly used by other backups too). */
    public boolean shared() {
      return path.startsWith(BackupRepository.SHARED + "/");
    }
  }

  public BackupManifest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(epochs, "epochs");
    files = List.copyOf(files);
  }

  /** Bytes of all its files (what a restore writes). */
  public long totalBytes() {
    return files.stream().mapToLong(StoredFile::size).sum();
  }

  /** The manifest's text, checksum line included. */
  String text() {
    StringBuilder b = new StringBuilder();
    b.append(MAGIC).append(' ').append(VERSION).append('\n');
    b.append("id ").append(id).append('\n');
    b.append("created ").append(createdMillis).append('\n');
    b.append("source ").append(source.isEmpty() ? "-" : source).append('\n');
    b.append("snapshot ").append(snapshotId.isEmpty() ? "-" : snapshotId).append('\n');
    b.append("sequence ").append(sequence).append('\n');
    b.append("primary-last-sequence ").append(primaryLastSequence).append('\n');
    for (EpochHistory.Term t : epochs.terms()) {
      b.append("epoch ")
          .append(t.epoch())
          .append(' ')
          .append(t.termId())
          .append(' ')
          .append(t.startSequence())
          .append(' ')
          .append(t.nodeId())
          .append('\n');
    }
    for (StoredFile f : files) {
      b.append("file ")
          .append(f.name())
          .append(' ')
          .append(f.size())
          .append(' ')
          .append(hex(f.crc32c()))
          .append(' ')
          .append(f.path())
          .append('\n');
    }
    b.append("stored-bytes ").append(storedBytes).append('\n');
    String body = b.toString();
    return body + "crc32c " + hex(crc(body)) + "\n";
  }

  /** Writes it to {@code file} atomically (temporary file, fsync, rename, directory fsync). */
  void write(Path file) throws IOException {
    DurableFiles.replace(file, ByteBuffer.wrap(text().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Reads and checks the manifest in {@code file}.
   *
   * @throws BackupException if it is missing, damaged or of another format
   */
  static BackupManifest read(Path file) {
    String text;
    try {
      // Decoded leniently: a damaged byte then fails the checksum, with one clear message.
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BackupException(file + " is missing: the backup is incomplete");
    } catch (IOException e) {
      throw new BackupException("cannot read " + file + ": " + e, e);
    }
    try {
      return parse(text);
    } catch (RuntimeException e) {
      throw new BackupException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  private static BackupManifest parse(String text) {
    int crcAt = text.lastIndexOf("crc32c ");
    if (crcAt < 0 || !text.endsWith("\n")) {
      throw new IllegalArgumentException("no checksum line");
    }
    String body = text.substring(0, crcAt);
    int stored = (int) Long.parseUnsignedLong(text.substring(crcAt + 7).strip(), 16);
    if (stored != crc(body)) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    List<String> lines = body.lines().toList();
    String[] magic = lines.get(0).split(" ");
    if (magic.length != 2 || !magic[0].equals(MAGIC)) {
      throw new IllegalArgumentException("not a kevo backup manifest");
    }
    if (Integer.parseInt(magic[1]) > VERSION) {
      throw new IllegalArgumentException(
          "format version " + magic[1] + " is newer than this kevo reads (" + VERSION + ")");
    }
    Fields f = new Fields(lines);
    String id = f.one("id");
    long created = Long.parseLong(f.one("created"));
    String source = dash(f.one("source"));
    String snapshot = dash(f.one("snapshot"));
    long sequence = Long.parseLong(f.one("sequence"));
    long primaryLast = Long.parseLong(f.one("primary-last-sequence"));
    List<EpochHistory.Term> terms = new ArrayList<>();
    for (String[] e : f.all("epoch", 4)) {
      terms.add(new EpochHistory.Term(Long.parseLong(e[0]), e[1], Long.parseLong(e[2]), e[3]));
    }
    List<StoredFile> files = new ArrayList<>();
    for (String[] e : f.all("file", 4)) {
      files.add(
          new StoredFile(e[0], Long.parseLong(e[1]), (int) Long.parseUnsignedLong(e[2], 16), e[3]));
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no files");
    }
    long storedBytes = Long.parseLong(f.one("stored-bytes"));
    return new BackupManifest(
        id,
        created,
        source,
        snapshot,
        sequence,
        primaryLast,
        EpochHistory.of(terms),
        files,
        storedBytes);
  }

  /** The lines of a manifest body by their first word. */
  private record Fields(List<String> lines) {
    String one(String key) {
      List<String[]> v = all(key, 1);
      if (v.size() != 1) {
        throw new IllegalArgumentException("expected one '" + key + "' line, found " + v.size());
      }
      return v.get(0)[0];
    }

    List<String[]> all(String key, int values) {
      List<String[]> out = new ArrayList<>();
      for (String line : lines) {
        String[] parts = line.split(" ");
        if (parts[0].equals(key)) {
          if (parts.length != values + 1) {
            throw new IllegalArgumentException("malformed line: " + line);
          }
          String[] v = new String[values];
          System.arraycopy(parts, 1, v, 0, values);
          out.add(v);
        }
      }
      return out;
    }
  }

  private static String dash(String s) {
    return s.equals("-") ? "" : s;
  }

  static String hex(int crc) {
    return String.format("%08x", crc);
  }

  private static int crc(String s) {
    CRC32C c = new CRC32C();
    c.update(s.getBytes(StandardCharsets.UTF_8));
    return (int) c.getValue();
  }
}

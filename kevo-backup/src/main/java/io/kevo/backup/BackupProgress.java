package io.kevo.backup;

/**
 * How far a backup has come, reported after each chunk it received.
 *
 * @param bytesReceived bytes received over the wire so far (shared tables are received too)
 * @param totalBytes bytes the snapshot holds
 * @param filesDone files received completely
 * @param files files in the snapshot
 * @param bytesStored bytes this backup has written to the backup directory so far
 */
public record BackupProgress(
    long bytesReceived, long totalBytes, int filesDone, int files, long bytesStored) {

  /** One line for a terminal, e.g. {@code 12.0 MiB of 40.0 MiB, 3/10 files, 2.5 MiB stored}. */
  public String describe() {
    return mib(bytesReceived)
        + " of "
        + mib(totalBytes)
        + ", "
        + filesDone
        + "/"
        + files
        + " files, "
        + mib(bytesStored)
        + " stored";
  }

  /** {@code bytes} in MiB with one decimal, e.g. {@code 2.5 MiB}. */
  public static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}

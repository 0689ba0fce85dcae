package io.kevo.cli;

import io.kevo.backup.BackupException;
import io.kevo.backup.BackupManifest;
import io.kevo.backup.BackupProgress;
import io.kevo.backup.BackupRepository;
import io.kevo.backup.BackupRestorer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kevo restore --from DIR [--backup ID] --data NEWDIR}: rebuilds a data directory from a
 * backup. Exit status 0, or 2 with one line on stderr (the backup is damaged or missing, NEWDIR is
 * not empty) and nothing in NEWDIR.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Rebuild a data directory from a backup taken with kevo backup, checking every file's"
          + " CRC-32C on the way; a damaged backup is refused and nothing is written to NEWDIR.",
      "Start the restored node with kevo server --data NEWDIR, standalone or --role primary: it"
          + " begins a new epoch, so replicas of the old cluster cannot mistake it for the old"
          + " primary."
    })
final class RestoreCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "The backup directory.")
  private Path from;

  @Option(
      names = "--backup",
      paramLabel = "ID",
      description = "The backup to restore (see kevo backup --list). Default: the newest one.")
  private String backupId;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "NEWDIR",
      description = "The data directory to create; it must not exist or be empty.")
  private Path data;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      BackupManifest m = BackupRestorer.restore(BackupRepository.existing(from), backupId, data);
      out.println(
          "restored backup "
              + m.id()
              + " (sequence "
              + m.sequence()
              + ", "
              + m.files().size()
              + " files, "
              + BackupProgress.mib(m.totalBytes())
              + ") into "
              + data);
      out.flush();
      return ExitCodes.OK;
    } catch (BackupException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }
  }
}

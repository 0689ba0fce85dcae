package io.kevo.cli;

import io.grpc.ManagedChannel;
import io.kevo.backup.BackupException;
import io.kevo.backup.BackupManifest;
import io.kevo.backup.BackupOptions;
import io.kevo.backup.BackupProgress;
import io.kevo.backup.BackupRepository;
import io.kevo.backup.BackupVerifier;
import io.kevo.backup.BackupWriter;
import io.kevo.client.ClientOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kevo backup HOST:PORT --to DIR} (take an online backup of a primary or standalone node),
 * {@code kevo backup --list --to DIR}, {@code kevo backup --verify --to DIR [--backup ID]}.
 * Progress goes to stderr, results to stdout. Exit status 0; 1 if {@code --verify} found a damaged
 * backup; 2 if the command could not run (bad options, the node unreachable or refusing, an I/O
 * error).
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Take a consistent online backup of a primary or standalone node into DIR, list the"
          + " backups in DIR, or verify them.",
      "A backup holds every write up to one sequence and none after; the node keeps serving"
          + " and keeps no log for it afterwards. SSTables already in DIR are shared, not stored"
          + " again (all bytes still cross the network). Restore with kevo restore."
    })
final class BackupCommand implements Callable<Integer> {
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "HOST:PORT",
      description = "The client address of the primary or standalone node to back up.")
  private String endpoint;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "The backup directory (created if missing).")
  private Path to;

  @Option(names = "--list", description = "List the backups in DIR.")
  private boolean list;

  @Option(
      names = "--verify",
      description =
          "Re-read backups in DIR against their manifests' sizes and CRC-32C checksums (all of"
              + " them, or the one given with --backup).")
  private boolean verify;

  @Option(names = "--backup", paramLabel = "ID", description = "With --verify: only this backup.")
  private String backupId;

  @Option(
      names = "--max-rate-mb",
      paramLabel = "MIB",
      description = "Cap the transfer at this many MiB per second (default: no cap).")
  private int maxRateMb;

  @Mixin private ClientTlsFlags tls = new ClientTlsFlags();

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int modes = (endpoint != null ? 1 : 0) + (list ? 1 : 0) + (verify ? 1 : 0);
    if (modes != 1) {
      throw new ParameterException(
          spec.commandLine(), "give exactly one of HOST:PORT (take a backup), --list, --verify");
    }
    if (backupId != null && !verify) {
      throw new ParameterException(spec.commandLine(), "--backup goes with --verify");
    }
    if (maxRateMb < 0) {
      throw new ParameterException(spec.commandLine(), "--max-rate-mb must not be negative");
    }
    try {
      if (list) {
        return list(BackupRepository.existing(to), out);
      }
      if (verify) {
        return verify(BackupRepository.existing(to), out);
      }
      return take(out, err);
    } catch (BackupException e) {
      if (endpoint != null) {
        err.println("error: backup of " + endpoint + " failed: " + e.getMessage());
        err.flush();
        return ExitCodes.FATAL;
      }
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    }
  }

  private int take(PrintWriter out, PrintWriter err) {
    try {
      ClientOptions.forEndpoint(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ClientTlsFlags.Channel channel;
    try {
      channel = tls.channelTo(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    BackupRepository repo = BackupRepository.open(to);
    ManagedChannel ch = channel.builder().maxInboundMessageSize(16 << 20).build();
    try {
      BackupManifest m =
          new BackupWriter(
                  repo, BackupOptions.DEFAULT.withMaxBytesPerSecond((long) maxRateMb << 20))
              .take(ch, endpoint, new ProgressLine(err));
      long shared = m.totalBytes() - m.storedBytes();
      out.println(
          "backup "
              + m.id()
              + " complete: sequence "
              + m.sequence()
              + ", "
              + m.files().size()
              + " files, "
              + BackupProgress.mib(m.totalBytes())
              + " ("
              + BackupProgress.mib(m.storedBytes())
              + " stored, "
              + BackupProgress.mib(shared)
              + " shared with earlier backups)");
      out.flush();
      return ExitCodes.OK;
    } finally {
      channel.shutdown(ch);
    }
  }

  private static int list(BackupRepository repo, PrintWriter out) {
    List<BackupRepository.Entry> all = repo.list();
    if (all.isEmpty()) {
      out.println("no backups in " + repo.root());
    }
    for (BackupRepository.Entry e : all) {
      BackupManifest m = e.manifest();
      out.println(
          m == null
              ? e.id() + "  INCOMPLETE OR DAMAGED: " + e.problem()
              : e.id()
                  + "  sequence "
                  + m.sequence()
                  + "  "
                  + m.files().size()
                  + " files  "
                  + BackupProgress.mib(m.totalBytes())
                  + " ("
                  + BackupProgress.mib(m.storedBytes())
                  + " stored)  taken "
                  + Instant.ofEpochMilli(m.createdMillis())
                  + " from "
                  + m.source());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private int verify(BackupRepository repo, PrintWriter out) {
    List<BackupRepository.Entry> entries =
        backupId == null
            ? repo.list()
            : List.of(new BackupRepository.Entry(backupId, repo.manifest(backupId), null));
    if (entries.isEmpty()) {
      throw new BackupException("no backups in " + repo.root());
    }
    boolean damaged = false;
    java.util.Map<String, String> checked = new java.util.HashMap<>(); // shared tables read once
    for (BackupRepository.Entry e : entries) {
      if (!e.complete()) {
        damaged = true;
        out.println("backup " + e.id() + ": DAMAGED: " + e.problem());
        continue;
      }
      List<String> problems = BackupVerifier.problems(repo, e.manifest(), checked);
      if (problems.isEmpty()) {
        out.println(
            "backup "
                + e.id()
                + ": OK ("
                + e.manifest().files().size()
                + " files, "
                + BackupProgress.mib(e.manifest().totalBytes())
                + " checked)");
      } else {
        damaged = true;
        problems.forEach(p -> out.println("backup " + e.id() + ": DAMAGED: " + p));
      }
    }
    out.flush();
    return damaged ? ExitCodes.COMMAND_FAILED : ExitCodes.OK;
  }

  /** Progress on stderr: at most one line a second, and the last one. */
  private static final class ProgressLine implements Consumer<BackupProgress> {
    private final PrintWriter err;
    private long last = System.nanoTime() - PROGRESS_EVERY_NANOS;

    ProgressLine(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void accept(BackupProgress p) {
      long now = System.nanoTime();
      boolean done = p.filesDone() == p.files();
      if (now - last >= PROGRESS_EVERY_NANOS || done) {
        last = now;
        err.println("backup: " + p.describe());
        err.flush();
      }
    }
  }
}

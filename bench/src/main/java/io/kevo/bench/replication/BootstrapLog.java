package io.kevo.bench.replication;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a bootstrapping replica's log (its output, {@code io.kevo.replication} at INFO) for the two
 * lines {@code SnapshotFetch} writes, noting when each arrived:
 *
 * <pre>
 * replica R: bootstrapping from snapshot ID at sequence S: F files, B bytes; reads are refused ...
 * replica R: bootstrap ID installed: sequence S, B bytes in M ms; streaming from S+1
 * </pre>
 *
 * M is the replica's own measure of the fetch and the install: from its {@code FetchSnapshot} call
 * to the snapshot installed. Only the first of each line counts (a node bootstraps once here).
 * Thread-safe: lines arrive on the node process's output reader thread, figures are read on
 * another.
 */
final class BootstrapLog implements Consumer<String> {
  static final Pattern STARTED =
      Pattern.compile(
          "bootstrapping from snapshot (\\S+) at sequence (\\d+): (\\d+) files, (\\d+) bytes");
  static final Pattern INSTALLED =
      Pattern.compile("bootstrap (\\S+) installed: sequence (\\d+), (\\d+) bytes in (\\d+) ms");

  /** A header line: when it arrived (ns on the clock given), its sequence, files and bytes. */
  record Started(long atNanos, long sequence, int files, long bytes) {}

  /** An installed line: when it arrived, the sequence, bytes and the replica's own milliseconds. */
  record Installed(long atNanos, long sequence, long bytes, long millis) {}

  private final LongSupplier clock;
  private volatile Started started;
  private volatile Installed installed;

  /**
   * @param clock nanoTime-like clock stamping each line on arrival
   */
  BootstrapLog(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public void accept(String line) {
    long at = clock.getAsLong();
    if (started == null) {
      Matcher m = STARTED.matcher(line);
      if (m.find()) {
        started =
            new Started(
                at,
                Long.parseLong(m.group(2)),
                Integer.parseInt(m.group(3)),
                Long.parseLong(m.group(4)));
        return;
      }
    }
    if (installed == null) {
      Matcher m = INSTALLED.matcher(line);
      if (m.find()) {
        installed =
            new Installed(
                at,
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)));
      }
    }
  }

  /** The header line, null if none arrived. */
  Started started() {
    return started;
  }

  /** The installed line, null if none arrived. */
  Installed installed() {
    return installed;
  }
}

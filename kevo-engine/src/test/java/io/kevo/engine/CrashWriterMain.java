package io.kevo.engine;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link CrashRecoveryTest}: writes with {@link SyncMode#IMMEDIATE} from several
 * threads until killed and prints {@code ACK <key> END} for every write the engine acknowledged.
 * Args: directory, round, threads, and optionally {@code lsm}: tiny memtables and levels, so that
 * flushes and compactions run all the time and the kill lands in the middle of them.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  static Options options(boolean lsm) {
    Options.Builder b = Options.builder().syncMode(SyncMode.IMMEDIATE);
    if (lsm) {
      b.memtableSize(64 * 1024)
          .segmentSize(64 * 1024)
          .targetFileSize(64 * 1024)
          .level1MaxBytes(256 * 1024)
          .l0CompactionTrigger(2)
          .l0SlowdownTrigger(6)
          .l0StopTrigger(10)
          .blockSize(1024);
    }
    return b.build();
  }

  static String value(String key) {
    return "value-of-" + key + "-" + Integer.toHexString(key.hashCode());
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String round = args[1];
    int threads = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String mode = args.length > 3 ? args[3] : "plain";
    boolean txn = mode.equals("txn");
    KevoDB db = KevoDB.open(dir, options(mode.equals("lsm")));
    out.println("READY");
    out.flush();
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] =
          new Thread(
              () -> {
                for (int i = 0; ; i++) {
                  String base = "r" + round + "-t" + id + "-" + i;
                  if (i % 10 == 9) {
                    WriteBatch batch = new WriteBatch();
                    for (int j = 0; j < 3; j++) {
                      String k = base + "-b" + j;
                      batch.put(
                          k.getBytes(StandardCharsets.UTF_8),
                          value(k).getBytes(StandardCharsets.UTF_8));
                    }
                    if (txn) {
                      try (Transaction tx = db.beginTransaction()) {
                        for (WriteBatch.Op op : batch.ops()) {
                          tx.put(op.key(), op.value());
                        }
                        tx.commit();
                      }
                    } else {
                      db.write(batch);
                    }
                    synchronized (out) {
                      for (int j = 0; j < 3; j++) {
                        out.println("ACK " + base + "-b" + j + " END");
                      }
                      out.flush();
                    }
                  } else {
                    db.put(
                        base.getBytes(StandardCharsets.UTF_8),
                        value(base).getBytes(StandardCharsets.UTF_8));
                    synchronized (out) {
                      out.println("ACK " + base + " END");
                      out.flush();
                    }
                  }
                }
              });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
  }
}

package io.kevo.engine.internal.compaction;

import io.kevo.engine.internal.sstable.TableOptions;
import io.kevo.engine.internal.sstable.TableWriter;
import io.kevo.engine.internal.version.FileMeta;
import io.kevo.engine.internal.version.VersionSet;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a sorted stream of internal entries into one or more new SSTables, starting a new file
 * once the current one reaches the target size — but only between user keys, so that all versions
 * of a key stay in one file of a level (which is what lets a read consult one file per level). Not
 * thread-safe.
 */
final class TableSink {
  private final VersionSet versions;
  private final TableOptions options;
  private final long targetFileSize;
  private final List<FileMeta> outputs = new ArrayList<>();
  private final List<Long> pending = new ArrayList<>();

  private TableWriter writer;
  private long number;
  private byte[] smallestKey;
  private long smallestSeq;
  private byte[] lastKey;
  private long lastSeq;
  private long minSeq;
  private long maxSeq;
  private long entries;
  private long bytesWritten;

  TableSink(VersionSet versions, TableOptions options, long targetFileSize) {
    this.versions = versions;
    this.options = options;
    this.targetFileSize = targetFileSize;
  }

  void add(byte[] key, long seq, boolean tombstone, byte[] value) throws IOException {
    boolean newKey = lastKey == null || !Arrays.equals(lastKey, key);
    if (writer != null && newKey && writer.estimatedFileSize() >= targetFileSize) {
      finishFile();
    }
    if (writer == null) {
      number = versions.newFileNumber();
      pending.add(number);
      writer = TableWriter.create(versions.tablePath(number), options, versions.files());
      smallestKey = key.clone();
      smallestSeq = seq;
      minSeq = Long.MAX_VALUE;
      maxSeq = 0;
      entries = 0;
    }
    writer.add(key, seq, tombstone, value);
    if (newKey) {
      lastKey = key.clone();
    }
    lastSeq = seq;
    minSeq = Math.min(minSeq, seq);
    maxSeq = Math.max(maxSeq, seq);
    entries++;
  }

  private void finishFile() throws IOException {
    writer.finish();
    writer = null;
    long size = Files.size(versions.tablePath(number));
    bytesWritten += size;
    outputs.add(
        new FileMeta(
            number, size, smallestKey, smallestSeq, lastKey, lastSeq, minSeq, maxSeq, entries));
    lastKey = null;
  }

  /** Finishes the last file; returns every file written. */
  List<FileMeta> finish() throws IOException {
    if (writer != null) {
      finishFile();
    }
    return outputs;
  }

  long bytesWritten() {
    return bytesWritten;
  }

  /** Removes everything written (the edit that would have listed it was never applied). */
  void abandon() {
    if (writer != null) {
      writer.abandon();
      writer = null;
    }
    for (long n : pending) {
      try {
        Files.deleteIfExists(versions.tablePath(n));
      } catch (IOException ignored) {
        // a leftover is removed as a stray file at the next open
      }
    }
  }
}

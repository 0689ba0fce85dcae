package io.kevo.engine.internal.sstable;

import java.util.Arrays;

/**
 * A cursor over one {@link Block}'s entries in internal order. Keys are rebuilt from their prefix
 * compression into a private buffer; {@link #seek} binary-searches the restart points and then
 * scans; {@link #prev} rescans forward from the previous restart point (entries are only linked
 * forwards). Every decoded length is bounds-checked so that a malformed block raises CORRUPTION
 * (with file and block offset) instead of an index exception. Not thread-safe.
 */
final class BlockIterator {
  private final Block block;
  private final byte[] data;
  private final int limit;
  private boolean valid;
  private int current;
  private int nextOffset;
  private int restartIndex;
  private byte[] key = new byte[64];
  private int keyLen;
  private int valueOffset;
  private int valueLength;
  private int scratchPos;
  private byte[] userKeyCopy;

  BlockIterator(Block block) {
    this.block = block;
    this.data = block.data;
    this.limit = block.restartsOffset;
  }

  boolean valid() {
    return valid;
  }

  void seekToFirst() {
    seekToRestart(0);
    parseNext();
  }

  void seekToLast() {
    seekToRestart(block.numRestarts - 1);
    while (parseNext() && nextOffset < limit) {
      // Scan to the final entry of the last restart run.
    }
  }

  /** Positions at the first entry at or after {@code (userKey, sequence)}; invalid if none. */
  void seek(byte[] userKey, long sequence) {
    int left = 0;
    int right = block.numRestarts - 1;
    while (left < right) {
      int mid = (left + right + 1) >>> 1;
      if (compareRestartKey(mid, userKey, sequence) < 0) {
        left = mid;
      } else {
        right = mid - 1;
      }
    }
    seekToRestart(left);
    while (parseNext()) {
      if (compareCurrent(userKey, sequence) >= 0) {
        return;
      }
    }
  }

  void next() {
    parseNext();
  }

  void prev() {
    int original = current;
    while (block.restartPoint(restartIndex) >= original) {
      if (restartIndex == 0) {
        valid = false;
        return;
      }
      restartIndex--;
    }
    seekToRestart(restartIndex);
    while (parseNext() && nextOffset < original) {
      // Scan forward to the entry just before the original one.
    }
  }

  byte[] userKey() {
    if (userKeyCopy == null) {
      userKeyCopy = Arrays.copyOf(key, keyLen - TableFormat.KEY_TRAILER_SIZE);
    }
    return userKeyCopy;
  }

  long sequence() {
    return Coding.getFixed64(key, keyLen - TableFormat.KEY_TRAILER_SIZE) >>> 8;
  }

  boolean isTombstone() {
    return key[keyLen - TableFormat.KEY_TRAILER_SIZE] == TableFormat.KIND_TOMBSTONE;
  }

  byte[] value() {
    return isTombstone() ? null : Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
  }

  /** The current entry's raw value bytes, for blocks whose values are structures (the index). */
  Decoder valueDecoder() {
    return new Decoder(data, valueOffset, valueOffset + valueLength);
  }

  boolean userKeyEquals(byte[] userKey) {
    return Arrays.equals(key, 0, keyLen - TableFormat.KEY_TRAILER_SIZE, userKey, 0, userKey.length);
  }

  /** Compares the current entry with {@code (userKey, sequence)} in internal order. */
  int compareCurrent(byte[] userKey, long sequence) {
    int ukLen = keyLen - TableFormat.KEY_TRAILER_SIZE;
    int c = Arrays.compareUnsigned(key, 0, ukLen, userKey, 0, userKey.length);
    return c != 0 ? c : Long.compare(sequence, sequence());
  }

  private int compareRestartKey(int index, byte[] userKey, long sequence) {
    scratchPos = block.restartPoint(index);
    int shared = readVarint();
    int nonShared = readVarint();
    readVarint();
    if (shared != 0 || nonShared < TableFormat.KEY_TRAILER_SIZE || nonShared > limit - scratchPos) {
      throw block.corruption("bad key at restart point " + index);
    }
    int ukEnd = scratchPos + nonShared - TableFormat.KEY_TRAILER_SIZE;
    int c = Arrays.compareUnsigned(data, scratchPos, ukEnd, userKey, 0, userKey.length);
    return c != 0 ? c : Long.compare(sequence, Coding.getFixed64(data, ukEnd) >>> 8);
  }

  private void seekToRestart(int index) {
    restartIndex = index;
    nextOffset = block.restartPoint(index);
    keyLen = 0;
    valid = false;
  }

  private boolean parseNext() {
    int p = nextOffset;
    if (p >= limit) {
      valid = false;
      current = limit;
      return false;
    }
    scratchPos = p;
    int shared = readVarint();
    int nonShared = readVarint();
    int vlen = readVarint();
    boolean atRestart =
        restartIndex + 1 < block.numRestarts && block.restartPoint(restartIndex + 1) == p;
    if (shared > keyLen || (atRestart && shared != 0)) {
      throw block.corruption("entry at " + p + " shares " + shared + " bytes of a shorter key");
    }
    long end = (long) scratchPos + nonShared + vlen;
    int newLen = shared + nonShared;
    if (end > limit || newLen < TableFormat.KEY_TRAILER_SIZE) {
      throw block.corruption("entry at " + p + " overruns the block");
    }
    if (newLen > key.length) {
      key = Arrays.copyOf(key, Math.max(newLen, key.length * 2));
    }
    System.arraycopy(data, scratchPos, key, shared, nonShared);
    int kind = key[newLen - TableFormat.KEY_TRAILER_SIZE] & 0xFF;
    if (kind > TableFormat.KIND_TOMBSTONE) {
      throw block.corruption("entry at " + p + " has unknown kind " + kind);
    }
    keyLen = newLen;
    valueOffset = scratchPos + nonShared;
    valueLength = vlen;
    current = p;
    nextOffset = (int) end;
    if (atRestart) {
      restartIndex++;
    }
    userKeyCopy = null;
    valid = true;
    return true;
  }

  /** Reads a varint of at most 5 bytes at {@code scratchPos}, bounded by the entries' end. */
  private int readVarint() {
    int result = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
      if (scratchPos >= limit) {
        throw block.corruption("truncated entry header at " + scratchPos);
      }
      int b = data[scratchPos++] & 0xFF;
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (result < 0) {
          break;
        }
        return result;
      }
    }
    throw block.corruption("bad varint at " + scratchPos);
  }
}

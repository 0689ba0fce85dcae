package io.kevo.replication;

import io.kevo.proto.replication.WALEntry;
import io.kevo.proto.replication.WALStreamResponse;

/**
 * Collects WAL entries into one bounded {@code WALStreamResponse} (the seed's {@code Batcher}). Not
 * thread-safe: each session owns one.
 */
public interface Batcher {
  /**
   * Adds {@code entry} if the batch has room for it (an empty batch always takes one entry);
   * returns false, leaving the batch unchanged, when it would exceed its byte budget.
   */
  boolean add(WALEntry entry);

  /** A response holding the current entries (compressed when that pays); does not clear. */
  WALStreamResponse createResponse();

  /** Entries in the current batch. */
  int count();

  /** Serialized bytes of the current batch's entries. */
  int size();

  /** Empties the batch. */
  void clear();
}

package io.kevo.engine;

import java.util.List;

/**
 * One logical WAL record: a single operation, or an atomic batch whose operations carry consecutive
 * sequence numbers. Replication ships a batch as one unit.
 *
 * @param operations at least one operation, in sequence order
 * @param batch whether the record was written as an atomic batch (even of one operation)
 */
public record WalRecord(List<WalOperation> operations, boolean batch) {
  public WalRecord {
    operations = List.copyOf(operations);
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("a WAL record holds at least one operation");
    }
  }

  public long firstSequence() {
    return operations.get(0).sequence();
  }

  public long lastSequence() {
    return operations.get(operations.size() - 1).sequence();
  }
}

package io.kevo.cli.shell;

import io.kevo.engine.ScanOptions;
import io.kevo.engine.Transaction;
import java.util.Optional;
import java.util.function.BiConsumer;

/** A {@link ShellTransaction} over an engine {@link Transaction}. Not thread-safe. */
final class EmbeddedTransaction implements ShellTransaction {
  private final Transaction tx;
  private boolean finished;

  EmbeddedTransaction(Transaction tx) {
    this.tx = tx;
  }

  @Override
  public boolean readOnly() {
    return tx.readOnly();
  }

  @Override
  public boolean isOpen() {
    return !finished;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    tx.put(key, value);
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return tx.get(key);
  }

  @Override
  public void delete(byte[] key) {
    tx.delete(key);
  }

  @Override
  public void scan(ScanOptions scan, BiConsumer<byte[], byte[]> sink) {
    EmbeddedBackend.drain(tx.scan(scan), sink);
  }

  @Override
  public void commit() {
    // The engine ends the transaction whether the commit succeeds or conflicts.
    finished = true;
    tx.commit();
  }

  @Override
  public void rollback() {
    finished = true;
    tx.rollback();
  }

  @Override
  public void close() {
    finished = true;
    tx.close();
  }
}

package io.kevo.engine;

/**
 * One logged operation with its sequence number. {@code value} is {@code null} for a delete. The
 * arrays must not be modified.
 */
public record WalOperation(OpType type, long sequence, byte[] key, byte[] value) {}

package io.kevo.engine;

/**
 * A key and its value as returned by iteration. The arrays belong to the caller; the engine keeps
 * no reference that it would mutate.
 */
public record KeyValue(byte[] key, byte[] value) {}

/**
 * The wire codecs of replication, as {@code replication.proto} and PROTOCOL.md fix them: {@link
 * io.kevo.replication.wire.EntryCodec} (an entry's payload and its CRC), {@link
 * io.kevo.replication.wire.CodecCompressor} (the seed's {@link io.kevo.replication.Compressor}:
 * zstd and Snappy, with a bound on what a payload may decompress to), {@link
 * io.kevo.replication.wire.EncodedRecord} (a logical record encoded once, shared by every session),
 * {@link io.kevo.replication.wire.RecordEntries} (a record cut into entries, large ones into
 * fragments), {@link io.kevo.replication.wire.ResponseBatcher} (the seed's {@link
 * io.kevo.replication.Batcher}: entries into a response of bounded size, compressed per entry or
 * packed) and {@link io.kevo.replication.wire.RecordAssembler} (entries back into records, checking
 * checksums, sequences and batch membership).
 *
 * <p>Threading: {@code EncodedRecord} is immutable and {@code EntryCodec} stateless, both
 * thread-safe; {@code CodecCompressor} is thread-safe; a {@code RecordEntries}, {@code
 * ResponseBatcher} or {@code RecordAssembler} belongs to one thread at a time (a primary session's
 * drain, a replica's apply thread).
 *
 * <p>Depends on: {@code io.kevo.replication} ({@code Compressor}, {@code Batcher}, {@code
 * ReplicationException}), the engine's record types and the generated protocol messages. Nothing
 * here does I/O or knows about sessions.
 */
package io.kevo.replication.wire;

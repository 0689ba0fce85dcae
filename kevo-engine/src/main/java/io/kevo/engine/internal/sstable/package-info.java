/**
 * Sorted string tables: immutable files of internal entries (user key, sequence, put or tombstone,
 * value) in internal order (user key ascending as unsigned bytes, then sequence descending).
 *
 * <p>Writing: {@link io.kevo.engine.internal.sstable.TableWriter} (one thread, streaming). Reading:
 * {@link io.kevo.engine.internal.sstable.TableReader} (thread-safe) with point {@code get}s and
 * two-level iterators; decoded data blocks are shared through the byte-bounded {@link
 * io.kevo.engine.internal.sstable.BlockCache}, whose evicted blocks' arrays are reused for the next
 * misses ({@link io.kevo.engine.internal.sstable.BlockArrays}; a block is read only while held, see
 * {@link io.kevo.engine.internal.sstable.Block}); counters live in {@link
 * io.kevo.engine.internal.sstable.TableStats}. Priorities: never return a wrong value (every block
 * is checksummed and every decoded length bounds-checked, so damage surfaces as {@code
 * KevoException(CORRUPTION)} naming the file and block offset), then read speed, then size.
 *
 * <h2>File format, version 1</h2>
 *
 * All integers are little-endian; "varint" is the LEB128 unsigned varint (7 bits per byte, low
 * groups first, high bit = more follows).
 *
 * <pre>
 * [data block 0][trailer] ... [data block n-1][trailer]      (contiguous from offset 0)
 * [bloom filter block][trailer]                              (absent when bloomBitsPerKey = 0)
 * [properties block][trailer]
 * [index block][trailer]
 * [footer, 64 bytes]
 * </pre>
 *
 * <b>Internal key</b>: the user key bytes followed by an 8-byte u64 {@code (sequence << 8) | kind},
 * kind 0 = put, 1 = tombstone (so sequences are limited to 56 bits). Tombstones store an empty
 * value.
 *
 * <p><b>Block trailer</b> (5 bytes, after every block): u8 compression type (0 none, 1 Snappy, 2
 * LZ4, 3 Zstd) and u32 CRC-32C (Castagnoli, {@link java.util.zip.CRC32C}) of the stored block bytes
 * followed by the type byte, so a damaged type is caught too. A block handle's size counts the
 * stored bytes only, not the trailer.
 *
 * <p><b>Compressed blocks</b> (type 1-3) store {@code varint decodedLength} followed by the codec's
 * raw output (Snappy raw format, LZ4 block format, a Zstd frame at level 3). The writer stores a
 * block uncompressed when compression would not save at least 1/8 of it. Meta blocks (bloom,
 * properties, index) are always written uncompressed, but readers accept any type.
 *
 * <p><b>Data and index blocks</b> share one layout (decoded form):
 *
 * <pre>
 * entry*:   varint shared      bytes of the key shared with the previous entry's key
 *           varint nonShared   bytes of the key that follow
 *           varint valueLength
 *           byte[nonShared]    the key's remaining bytes
 *           byte[valueLength]  the value
 * restarts: u32[numRestarts]   offsets of the entries whose keys are stored whole (shared = 0);
 *                              the first is 0, strictly ascending
 * u32 numRestarts              at least 1
 * </pre>
 *
 * Keys are internal keys, prefix-compressed against the previous entry; every {@code
 * restartInterval}-th entry (default 16) is a restart point. A data block is cut once its size
 * reaches {@code blockSize} (default 4 KiB); an entry larger than that gets a block of its own. In
 * the index block there is one entry per data block, in file order: key = that block's last
 * internal key, value = {@code varint offset, varint size} (its handle). The data blocks listed
 * must tile {@code [0, dataSize)} exactly.
 *
 * <p><b>Bloom filter block</b>: a bit array of {@code m} bits ({@code m / 8} bytes, {@code m =
 * max(64, distinct user keys * bitsPerKey)} rounded up to a byte; bit {@code j} is {@code 1 << (j &
 * 7)} of byte {@code j >>> 3}), then u8 {@code k} (probes, {@code round(0.69 * bitsPerKey)} in [1,
 * 30]). For a key with 64-bit hash {@code h} ({@link
 * io.kevo.engine.internal.sstable.BloomFilter#hash}), probe {@code i} tests bit {@code ((h &
 * 0xFFFFFFFF) + i * (h >>> 32)) mod m}.
 *
 * <p><b>Properties block</b>:
 *
 * <pre>
 * u32 formatVersion   u8 compression (type id the writer asked for)
 * u64 entryCount      u64 tombstoneCount   u64 dataBlockCount   u64 dataSize (bytes incl. trailers)
 * u64 rawKeyBytes     u64 rawValueBytes    u64 minSequence      u64 maxSequence
 * u64 smallestSequence  u32 len  byte[len] smallestUserKey
 * u64 largestSequence   u32 len  byte[len] largestUserKey
 * </pre>
 *
 * <p><b>Footer</b> (64 bytes at the end of the file): u64 index offset, u64 index size, u64 bloom
 * offset, u64 bloom size (both 0 when absent), u64 properties offset, u64 properties size, u32
 * format version (1), u32 CRC-32C of the preceding 52 bytes, u64 magic {@code 0x3154535353564F4B}
 * ("KEVOSST1" in file byte order). A truncated file loses its magic and is reported as corrupt.
 *
 * <p><b>Durability</b>: tables are written as {@code <final name>.tmp}, fsynced, renamed atomically
 * to the final name and the directory fsynced. A table with no entries is never written.
 */
package io.kevo.engine.internal.sstable;

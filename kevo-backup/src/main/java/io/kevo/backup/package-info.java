/**
 * Online backup and restore of a Kevo primary.
 *
 * <p>{@link io.kevo.backup.BackupWriter} takes a consistent backup over the replication service's
 * {@code FetchSnapshot} stream (every write up to the snapshot's sequence, none after) into a
 * {@link io.kevo.backup.BackupRepository}, storing only the SSTables the directory does not already
 * hold (shared by name + size + CRC-32C); each backup is described by a checksummed {@link
 * io.kevo.backup.BackupManifest} written last. {@link io.kevo.backup.BackupVerifier} re-reads a
 * backup against its manifest; {@link io.kevo.backup.BackupRestorer} rebuilds a data directory from
 * one.
 *
 * <p>Priorities: a backup that looks complete is complete (temporary directory, fsync, checksums,
 * manifest last, atomic rename); a backup never makes the primary keep its log afterwards (the
 * transfer is requested without a replica id, which the primary treats as one-shot); restore writes
 * nothing that could pass for a database unless every byte checked out.
 *
 * <p>Threading: every class is either stateless or used by one thread at a time, as its javadoc
 * says. Errors are {@link io.kevo.backup.BackupException}s with a message meant for an operator.
 */
package io.kevo.backup;

/**
 * Hand-written companions of the generated protocol classes ({@code io.kevo.proto}): the values
 * that travel as text beside the messages and that the client, the server and replication must read
 * and write alike, written once here. {@link io.kevo.wire.AckLevel} is the {@code kevo-ack} request
 * metadata and the server's {@code --replication-ack}. {@link io.kevo.wire.ReplicationStatus} (with
 * {@link io.kevo.wire.PrimarySide}, {@link io.kevo.wire.ReplicaSide} and {@link
 * io.kevo.wire.ReplicaLink}) types the name/value maps of {@code GetNodeInfo}: the server encodes
 * it, every reader decodes it, and a key a node did not send decodes to an absent value.
 *
 * <p>Everything here is immutable or stateless, so thread-safe.
 */
package io.kevo.wire;

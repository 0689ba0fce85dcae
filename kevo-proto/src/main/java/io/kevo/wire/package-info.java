/**
 * Hand-written companions of the generated protocol classes ({@code io.kevo.proto}): the values
 * that travel as text beside the messages and that the client, the server and replication must read
 * and write alike, written once here. {@link io.kevo.wire.AckLevel} is the {@code kevo-ack} request
 * metadata and the server's {@code --replication-ack}.
 */
package io.kevo.wire;

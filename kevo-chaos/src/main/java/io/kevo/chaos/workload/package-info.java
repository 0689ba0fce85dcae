/**
 * The register workload and its recording. Clients ({@code RegisterClient}) run one operation at a
 * time on a few keys (so they contend): puts of values unique in the run, gets on the primary or on
 * a replica with the client's read-your-writes token, deletes, and transactions reading and writing
 * two keys. {@link io.kevo.chaos.workload.OpRunner} issues each as raw {@code kevo.KevoService}
 * calls with a deadline — no client library, whose retries and routing would hide what happened —
 * and records it with its invocation and completion times and its outcome: OK, FAIL when the node
 * refused it before writing anything, UNKNOWN when a write may or may not have taken effect (a
 * timeout, a dropped connection). Thread-safe: clients share the recorder and the channels.
 */
package io.kevo.chaos.workload;

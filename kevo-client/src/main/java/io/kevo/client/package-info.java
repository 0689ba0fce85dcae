/**
 * The Java client for a Kevo node ({@code kevo.KevoService} over gRPC).
 *
 * <p>Entry point: {@link io.kevo.client.KevoClient#connect(ClientOptions)}. The public API is
 * {@link io.kevo.client.KevoClient}, its options ({@link io.kevo.client.ClientOptions}, {@link
 * io.kevo.client.TlsConfig}), the values it takes and returns ({@link io.kevo.client.Op}, {@link
 * io.kevo.client.ScanSpec}, {@link io.kevo.client.KeyValue}), the handles it opens ({@link
 * io.kevo.client.KevoScan}, {@link io.kevo.client.ClientTransaction}) and one exception type,
 * {@link io.kevo.client.KevoClientException}. Generated protocol types appear only where the
 * server's answer has no simpler shape (stats and node info).
 *
 * <p>Priorities: never redo a call that is not safe to redo; stream scans rather than buffer them;
 * report the server's status code and message unchanged. The client is thread-safe; scans and
 * transactions are single-threaded handles.
 */
package io.kevo.client;

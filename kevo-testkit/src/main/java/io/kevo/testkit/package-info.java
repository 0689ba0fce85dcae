/**
 * A kit for tests and tools that run real Kevo nodes as processes on 127.0.0.1 ({@link
 * io.kevo.testkit.NodeProcess}: the distribution's {@code kevo server}, or any server a {@link
 * io.kevo.testkit.NodeLauncher} starts, such as the benchmarks' own) and put faults between them:
 * {@link io.kevo.testkit.TcpProxy} sits on a link and passes, black-holes, throttles, refuses or
 * resets its connections. Everything here stops what it started on {@code close()}, which is
 * idempotent. Not part of the product: nothing in a release depends on it.
 */
package io.kevo.testkit;

package io.kevo.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 for fault injection between a replica and its primary. Modes:
 *
 * <ul>
 *   <li>{@link Mode#PASS}: forwards both directions;
 *   <li>{@link Mode#BLACK_HOLE}: keeps connections open but forwards nothing (no bytes, no close),
 *       as a dead network path does;
 *   <li>{@link Mode#THROTTLE}: forwards at most {@link #throttle(long)} bytes per second per
 *       direction;
 *   <li>{@link Mode#REFUSE}: resets every new connection at once, without connecting to the target
 *       (a partition the peer learns of at once); {@link #cutOff()} also resets the open ones;
 * </ul>
 *
 * and {@link #resetAll()} closes every open connection with a TCP reset. Each connection uses two
 * pump threads; everything stops on {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {
  /** What the proxy does with bytes. */
  public enum Mode {
    PASS,
    BLACK_HOLE,
    THROTTLE,
    REFUSE
  }

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile long bytesPerSecond = Long.MAX_VALUE;
  private volatile boolean closed;

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  public void mode(Mode m) {
    this.mode = m;
  }

  /** Switches to {@link Mode#THROTTLE} at {@code bytesPerSecond} per direction per connection. */
  public void throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.mode = Mode.THROTTLE;
  }

  /**
   * Cuts the path off: from now on every connection is reset at once ({@link Mode#REFUSE}), and
   * every open one is reset. Once this returns, no byte written later by either side crosses the
   * proxy until the mode changes.
   */
  public void cutOff() {
    mode(Mode.REFUSE);
    resetAll();
  }

  /** Bytes forwarded so far, both directions. */
  public long forwardedBytes() {
    return forwarded.get();
  }

  /** Connections accepted so far. */
  public long connections() {
    return connections.get();
  }

  /** Closes every open connection abruptly (RST); new connections are still accepted. */
  public void resetAll() {
    for (Socket s : sockets) {
      reset(s);
    }
    sockets.clear();
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      if (mode == Mode.REFUSE) {
        reset(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        // Forward small messages (acks, single entries) at once, as a direct connection does;
        // Nagle's algorithm against the peer's delayed ACK would add ~40 ms to each.
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      if (mode == Mode.REFUSE) {
        // cutOff() ran while this one was connecting, and may have missed it.
        reset(client);
        reset(upstream);
        continue;
      }
      pump(client, upstream, "up");
      pump(upstream, client, "down");
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                long windowStart = System.nanoTime();
                long windowBytes = 0;
                while (!closed) {
                  while (mode == Mode.BLACK_HOLE && !closed && !from.isClosed()) {
                    TimeUnit.MILLISECONDS.sleep(10);
                  }
                  int max = buf.length;
                  if (mode == Mode.THROTTLE) {
                    max = (int) Math.max(1, Math.min(buf.length, bytesPerSecond / 20));
                  }
                  int n = in.read(buf, 0, max);
                  if (n < 0 || mode == Mode.REFUSE) {
                    break;
                  }
                  while (mode == Mode.BLACK_HOLE && !closed && !from.isClosed()) {
                    TimeUnit.MILLISECONDS.sleep(10);
                  }
                  if (mode == Mode.THROTTLE) {
                    windowBytes += n;
                    long elapsed = System.nanoTime() - windowStart;
                    long due = windowBytes * 1_000_000_000L / bytesPerSecond;
                    if (due > elapsed) {
                      TimeUnit.NANOSECONDS.sleep(due - elapsed);
                    }
                    if (elapsed > TimeUnit.SECONDS.toNanos(1)) {
                      windowStart = System.nanoTime();
                      windowBytes = 0;
                    }
                  }
                  out.write(buf, 0, n);
                  out.flush();
                  forwarded.addAndGet(n);
                }
              } catch (SocketException e) {
                // reset or closed: the other pump notices through its own socket
              } catch (IOException | InterruptedException e) {
                // stop pumping
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "tcp-proxy-" + direction + "-" + port());
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    closeListener();
    resetAll();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeListener() {
    try {
      listener.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}

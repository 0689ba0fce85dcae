package io.kevo.client;

import java.lang.System.Logger.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the client's log lines go. kevo-client declares slf4j-api as an optional dependency, so a
 * program that adds only kevo-client has no SLF4J on its class path and prints no {@code No SLF4J
 * providers were found} warning (grpc-netty-shaded would print it too, as soon as it finds
 * slf4j-api without a provider). Then:
 *
 * <ul>
 *   <li>with slf4j-api on the class path (any binding brings it: logback-classic, slf4j-simple, a
 *       Log4j bridge), every line goes to SLF4J at its level, under the class's name;
 *   <li>without it, warnings go to {@link System.Logger} (java.util.logging unless the program
 *       installs another {@code LoggerFinder}), where gRPC's own warnings go, and the debug, trace
 *       and info lines are dropped.
 * </ul>
 *
 * <p>Messages use SLF4J's {@code {}} placeholders; a {@link Throwable} as the last argument is
 * logged as the cause. Thread-safe.
 */
abstract class ClientLog {
  private static final boolean SLF4J = present("org.slf4j.LoggerFactory");

  /** The log of {@code owner}: SLF4J if present, else {@link System.Logger} for warnings. */
  static ClientLog of(Class<?> owner) {
    return SLF4J ? new Slf4j(owner) : jdk(owner.getName());
  }

  /** The fallback without SLF4J: warnings to {@code System.getLogger(name)}, nothing else. */
  static ClientLog jdk(String name) {
    return new Jdk(System.getLogger(name));
  }

  abstract void trace(String format, Object... args);

  abstract void debug(String format, Object... args);

  abstract void info(String format, Object... args);

  abstract void warn(String format, Object... args);

  static boolean present(String className) {
    try {
      Class.forName(className, false, ClientLog.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * {@code format} with each {@code {}} replaced by the next argument, SLF4J's way (a trailing
   * {@link Throwable} is not a placeholder's argument).
   */
  static String format(String format, Object... args) {
    int count = args.length;
    if (count > 0 && args[count - 1] instanceof Throwable) {
      count--;
    }
    StringBuilder out = new StringBuilder(format.length() + 16 * count);
    int from = 0;
    int next = 0;
    for (int at = format.indexOf("{}"); at >= 0 && next < count; at = format.indexOf("{}", from)) {
      out.append(format, from, at).append(args[next++]);
      from = at + 2;
    }
    return out.append(format, from, format.length()).toString();
  }

  static Throwable cause(Object... args) {
    return args.length > 0 && args[args.length - 1] instanceof Throwable t ? t : null;
  }

  /** Hands every line to SLF4J. Loaded only when slf4j-api is on the class path. */
  private static final class Slf4j extends ClientLog {
    private final Logger log;

    Slf4j(Class<?> owner) {
      this.log = LoggerFactory.getLogger(owner);
    }

    @Override
    void trace(String format, Object... args) {
      log.trace(format, args);
    }

    @Override
    void debug(String format, Object... args) {
      log.debug(format, args);
    }

    @Override
    void info(String format, Object... args) {
      log.info(format, args);
    }

    @Override
    void warn(String format, Object... args) {
      log.warn(format, args);
    }
  }

  /** Warnings to a {@link System.Logger}; the rest is dropped (see the class comment). */
  private static final class Jdk extends ClientLog {
    private final System.Logger log;

    Jdk(System.Logger log) {
      this.log = log;
    }

    @Override
    void trace(String format, Object... args) {}

    @Override
    void debug(String format, Object... args) {}

    @Override
    void info(String format, Object... args) {}

    @Override
    void warn(String format, Object... args) {
      if (log.isLoggable(Level.WARNING)) {
        log.log(Level.WARNING, format(format, args), cause(args));
      }
    }
  }
}

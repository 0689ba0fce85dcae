package io.kevo.cli;

/** Exit statuses of the {@code kevo} command. */
public final class ExitCodes {
  /** Everything succeeded. */
  public static final int OK = 0;

  /**
   * A non-interactive shell ran to the end (or to {@code .exit}) but at least one command failed:
   * wrong usage, an unknown command or an engine error. Also: {@code kevo backup --verify} found a
   * damaged or incomplete backup.
   */
  public static final int COMMAND_FAILED = 1;

  /**
   * Nothing useful could run: bad command-line options, the database cannot be opened (e.g. it is
   * locked by another process), a server or the coordinator cannot be reached, or {@code kevo
   * coordinator} cannot listen (port taken) or use its data directory.
   */
  public static final int FATAL = 2;

  /**
   * {@code kevo server} halted because its JVM failed: a {@link VirtualMachineError} such as an
   * {@link OutOfMemoryError}, in any thread. The JVM's state cannot be trusted after one, so the
   * server ends at once (no graceful shutdown) and logs one ERROR line saying why; a supervisor
   * should start it again, and WAL recovery brings back every acknowledged write. The same status
   * as HotSpot's {@code -XX:+ExitOnOutOfMemoryError}, which the {@code kevo} launcher script also
   * passes, so that either way out of memory looks alike to a supervisor.
   */
  public static final int JVM_FAILURE = 3;

  private ExitCodes() {}
}

package io.kevo.cli;

/** Exit statuses of the {@code kevo} command. */
public final class ExitCodes {
  /** Everything succeeded. */
  public static final int OK = 0;

  /**
   * A non-interactive shell ran to the end (or to {@code .exit}) but at least one command failed:
   * wrong usage, an unknown command or an engine error.
   */
  public static final int COMMAND_FAILED = 1;

  /**
   * Nothing useful could run: bad command-line options, or the database cannot be opened (e.g. it
   * is locked by another process).
   */
  public static final int FATAL = 2;

  private ExitCodes() {}
}

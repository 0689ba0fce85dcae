package io.kevo.cli.shell;

/** A line the shell cannot run as written; the message is shown to the user as is. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}

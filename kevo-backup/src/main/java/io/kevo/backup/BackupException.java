package io.kevo.backup;

/**
 * Why a backup, a verification or a restore failed, said so that an operator can act on it: which
 * backup, which file, what was expected. Unchecked, like every error of Kevo.
 */
public final class BackupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}

/**
 * The Kevo shell: a line-oriented language over a {@link io.kevo.cli.shell.ShellBackend}.
 *
 * <p>Pipeline: a {@link io.kevo.cli.shell.LineSource} yields lines, {@link
 * io.kevo.cli.shell.Tokenizer} splits one into byte-string tokens, {@link
 * io.kevo.cli.shell.StatementParser} turns the tokens into a {@link io.kevo.cli.shell.Statement},
 * and {@link io.kevo.cli.shell.Shell} executes it against the backend and prints the result with
 * {@link io.kevo.cli.shell.ByteText}. Only the backend knows where the data lives: {@link
 * io.kevo.cli.shell.EmbeddedBackend} opens a {@link io.kevo.engine.KevoDB} in-process; {@link
 * io.kevo.cli.shell.RemoteBackend} talks to a server through {@link io.kevo.client.KevoClient}
 * ({@code kevo shell --connect}). {@code BEGIN} opens a {@link io.kevo.cli.shell.ShellTransaction}
 * from the backend; until {@code COMMIT} or {@code ROLLBACK} the data commands go through it.
 *
 * <p>Display: {@code .stats} and {@code kevo status} build a {@link io.kevo.cli.shell.Report}
 * (sections of aligned rows) from {@link io.kevo.cli.shell.StatsReports}, with numbers formatted by
 * {@link io.kevo.cli.shell.Figures}. The interactive shell completes command words and keys ({@link
 * io.kevo.cli.shell.KeyCompleter}, a bounded prefix scan through the backend).
 *
 * <p>Text rules: keys and values are byte strings written as UTF-8 text. A token is either bare or
 * double-quoted; backslash escapes ({@code \\ \" \n \t \r \0 \xNN}) work in both, {@code \xNN}
 * writes one raw byte. Output uses the same syntax: a key or value is printed bare when that
 * round-trips, otherwise quoted and escaped, so printed values can be pasted back as input.
 *
 * <p>Threading: everything here is single-threaded; a shell and its backend belong to one thread.
 */
package io.kevo.cli.shell;

/**
 * The {@code kevo} command line: picocli commands, one small class each.
 *
 * <p>{@link io.kevo.cli.Main} is the entry point of the runnable distribution ({@code
 * kevo-cli/target/kevo-cli.jar}, started by the {@code kevo} script at the repository root). Exit
 * statuses are listed in {@link io.kevo.cli.ExitCodes}. The shell itself (parsing, execution,
 * display) lives in {@link io.kevo.cli.shell}; commands here only wire options, streams and the
 * terminal to it.
 *
 * <p>A bad command line is reported in one line ({@link io.kevo.cli.OneLineErrors}); usage help is
 * wrapped at spaces only ({@link io.kevo.cli.WrappedHelp}). {@link io.kevo.cli.ServerConfigFile}
 * owns the list of {@code kevo server --config} keys.
 *
 * <p>{@link io.kevo.cli.CoordinatorCommand} runs a development ZooKeeper ({@code kevo
 * coordinator}); {@link io.kevo.cli.CoordinatorStatus} is {@code kevo status --coordinator}, the
 * cluster as the coordinator knows it, rendered by {@link io.kevo.cli.CoordinatorStatusText} and
 * {@link io.kevo.cli.CoordinatorStatusJson}.
 *
 * <p>Logging goes through SLF4J to logback; the bundled {@code logback.xml} sends warnings and
 * above to stderr, with ISO-8601 dates, so that stdout carries only command results. {@code
 * -Dkevo.log.level=DEBUG} (e.g. through {@code KEVO_JAVA_OPTS}) raises the level. ZooKeeper and
 * Curator log errors only (their warnings are reconnect chatter); {@code
 * -Dkevo.zookeeper.log.level=INFO} shows more.
 */
package io.kevo.cli;

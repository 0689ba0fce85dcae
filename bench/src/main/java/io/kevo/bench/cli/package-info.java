/**
 * The command-line options the benchmark commands share, each declared once as a picocli mixin
 * ({@link io.kevo.bench.cli.BenchOptions}): where runs keep their data, the JSON results file, the
 * child JVMs' heap and options, repeats, seeds, sizes, timing and connections. Each mixin is set by
 * picocli on the command's thread and read afterwards; none is thread-safe.
 */
package io.kevo.bench.cli;

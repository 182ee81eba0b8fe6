/**
 * Permafrost's JMH benchmarks, and {@link dev.permafrost.jmh.Report}, which turns a JMH JSON
 * result into the table of medians and ratios recorded in {@code docs/benchmarks.md}.
 *
 * <p>Run them with {@code scripts/bench} (it builds {@code jmh/target/benchmarks.jar} when
 * missing or stale, runs JMH with JSON output into {@code bench-results/}, and prints the
 * report); extra arguments go to JMH, for example {@code scripts/bench RefCountBenchmark -f 1}.
 * {@code ./mvnw verify} compiles and packages the benchmarks but never runs them.
 * {@code scripts/bench trace ...} runs no JMH: it replays a key trace into the overlay's policy,
 * Caffeine and an LRU ({@link dev.permafrost.jmh.trace.TraceReplay}).
 *
 * <p>Thread rules: each benchmark says how many threads share its state; states are
 * {@code Scope.Benchmark}, so two-thread variants hit the same object. Forked JVMs get
 * {@code --enable-native-access=ALL-UNNAMED}: the store maps files through FFM downcalls,
 * and the benchmarks run from the class path. Hot paths: every {@code @Benchmark} method is one.
 */
package dev.permafrost.jmh;

/**
 * The {@code objects} suite: typed objects (records written, decoded, single fields read, string
 * fields compared in place) against a hand-written {@link java.nio.ByteBuffer} codec
 * ({@link dev.permafrost.jmh.objects.TypedObjectBenchmark}). Every benchmark names its row and
 * column with {@link dev.permafrost.jmh.Compared}.
 *
 * <p>Run: {@code scripts/bench objects}. Thread rules: one benchmark thread; state is
 * {@code Scope.Benchmark}. Forks get {@code --enable-native-access=ALL-UNNAMED} and no
 * {@code --add-opens}. Hot paths: every {@code @Benchmark} method is one.
 */
package dev.permafrost.jmh.objects;

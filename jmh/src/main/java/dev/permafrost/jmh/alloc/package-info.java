/**
 * The {@code alloc} suite: allocating and freeing off-heap objects of 16 B to 64 KiB in
 * Permafrost's store against the JDK's arenas and direct buffers and Netty's pooled allocator
 * ({@link dev.permafrost.jmh.alloc.AllocBenchmark}, whose javadoc states what each side does and
 * the settings of its forks). Every benchmark names its row and column with
 * {@link dev.permafrost.jmh.Compared}.
 *
 * <p>Run: {@code scripts/bench alloc}. Thread rules: one benchmark thread; state is
 * {@code Scope.Benchmark}. Permafrost's forks get {@code --enable-native-access=ALL-UNNAMED} and
 * no {@code --add-opens}. Hot paths: every {@code @Benchmark} method is one.
 */
package dev.permafrost.jmh.alloc;

/**
 * The {@code refcount} suite: what taking and dropping a reference costs in Permafrost against
 * its peers, immortal (frozen) and mortal objects, one thread, two threads on one object and two
 * threads on an object each. {@link dev.permafrost.jmh.refcount.RefCountBenchmark} holds
 * Permafrost's rows and the JDK baselines (a plain read of the count word, {@code AtomicLong});
 * {@link dev.permafrost.jmh.refcount.NettyRefCountBenchmark},
 * {@link dev.permafrost.jmh.refcount.ChronicleRefCountBenchmark} and
 * {@link dev.permafrost.jmh.refcount.AgronaRefCountBenchmark} the peers, each in forks with the
 * peer's own settings and flags; {@link dev.permafrost.jmh.refcount.RefCountCostBenchmark} takes
 * Permafrost's hot path apart. Every benchmark names its row and column with
 * {@link dev.permafrost.jmh.Compared} (the rows: {@code RefCountOperations}).
 *
 * <p>Run: {@code scripts/bench refcount}. Thread rules: shared objects are
 * {@code Scope.Benchmark} state, an object per thread is {@code Scope.Thread} state; each class
 * says which. Permafrost's forks get {@code --enable-native-access=ALL-UNNAMED} and no
 * {@code --add-opens}. Hot paths: every {@code @Benchmark} method is one.
 */
package dev.permafrost.jmh.refcount;

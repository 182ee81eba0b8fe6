/**
 * The cache suite: the shared cache's lookups against Caffeine, {@code ConcurrentHashMap},
 * Chronicle Map and lmdbjava ({@link dev.permafrost.jmh.cache.CacheBenchmark}, JMH), the memory
 * each takes per entry ({@link dev.permafrost.jmh.cache.CacheSuite}, not JMH), and issue 12's
 * build and start-up numbers of {@code scripts/bench cache-footprint}
 * ({@link dev.permafrost.jmh.cache.CacheFootprint}). All run on {@link dev.permafrost.jmh.cache.CacheData}'s
 * entries: 16-byte ASCII keys, 100-byte values.
 *
 * <p>It also holds what every suite that is not JMH shares: its command line
 * ({@link dev.permafrost.jmh.cache.SuiteArgs}), its results in JMH's JSON format
 * ({@link dev.permafrost.jmh.cache.SuiteResult}), the child JVMs it measures in
 * ({@link dev.permafrost.jmh.cache.ChildJvm}) and the JVM flags each peer gets there
 * ({@link dev.permafrost.jmh.cache.PeerFlags}).
 *
 * <p>Thread rules: the JMH benchmarks say how many threads share each state; the suites' mains
 * run one thread, and one child JVM at a time. Hot paths: the {@code @Benchmark} methods only.
 */
package dev.permafrost.jmh.cache;

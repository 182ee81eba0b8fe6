/**
 * Trace replay: the hit ratio of the overlay's eviction policy beside Caffeine's and an LRU's,
 * at the same entry capacity, on recorded key traces ({@code ../shared/traces}).
 *
 * <p>{@link dev.permafrost.jmh.trace.TraceReplay} is the command ({@code scripts/bench trace
 * --trace FILE --capacity N [--json]}); {@link dev.permafrost.jmh.trace.Trace} reads a trace,
 * xz-compressed or not; each cache replayed into is a
 * {@link dev.permafrost.jmh.trace.ReplayedCache}, so that the cache's real overlay can take
 * the policy's place without changing the rest.
 *
 * <p>Thread rules: one thread replays each cache in turn, the same keys in the same order.
 * Hot paths: {@link dev.permafrost.jmh.trace.ReplayedCache#access}, though only the hits and
 * misses it counts are measured, never its time.
 */
package dev.permafrost.jmh.trace;

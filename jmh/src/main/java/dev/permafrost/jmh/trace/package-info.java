/**
 * Trace replay: the hit ratio of the cache's bounded overlay beside Caffeine's and an LRU's,
 * at the same entry capacity, on recorded key traces ({@code ../shared/traces}).
 *
 * <p>{@link dev.permafrost.jmh.trace.TraceReplay} is the command ({@code scripts/bench trace
 * --trace FILE --capacity N [--json]}); {@link dev.permafrost.jmh.trace.Trace} reads a trace,
 * xz-compressed or not; each cache replayed into is a
 * {@link dev.permafrost.jmh.trace.ReplayedCache}: the real overlay of a {@code SharedCache}
 * ({@code OverlayReplayedCache}), Caffeine, an LRU; {@code PolicyReplayedCache} drives the
 * overlay's policy directly, for a test that the overlay drives it as intended.
 *
 * <p>Thread rules: one thread replays each cache in turn, the same keys in the same order.
 * Hot paths: {@link dev.permafrost.jmh.trace.ReplayedCache#access}, though only the hits and
 * misses it counts are measured, never its time.
 */
package dev.permafrost.jmh.trace;

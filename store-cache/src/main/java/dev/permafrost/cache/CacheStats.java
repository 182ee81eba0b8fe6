package dev.permafrost.cache;

/**
 * A snapshot of a cache's statistics, in the manner of Caffeine's {@code CacheStats}: counts
 * since the cache was opened, kept on this worker's heap (nothing is counted in the mapping).
 * Hits are counted apart for the frozen base and for this worker's overlay.
 *
 * @param frozenHitCount    lookups answered by the frozen base
 * @param overlayHitCount   lookups answered by this worker's overlay
 * @param missCount         lookups that found nothing
 * @param loadSuccessCount  loader calls that returned a value
 * @param loadFailureCount  loader calls that threw
 * @param totalLoadTimeNanos time spent in loader calls, successful or not
 * @param evictionCount     overlay entries evicted by the size or weight bound
 * @param evictionWeight    the summed weight of those entries
 * @param overlayBytes      bytes the overlay's entries take in the store now
 */
public record CacheStats(long frozenHitCount, long overlayHitCount, long missCount, long loadSuccessCount,
                         long loadFailureCount, long totalLoadTimeNanos, long evictionCount, long evictionWeight,
                         long overlayBytes) {
    /**
     * Checks that no count is negative.
     *
     * @throws IllegalArgumentException if one is
     */
    public CacheStats {
        if ((frozenHitCount | overlayHitCount | missCount | loadSuccessCount | loadFailureCount | totalLoadTimeNanos
                | evictionCount | evictionWeight | overlayBytes) < 0) {
            throw new IllegalArgumentException("negative count in " + this);
        }
    }

    /** {@return the statistics of a cache that has done nothing} */
    public static CacheStats empty() {
        return new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@return lookups answered from either layer} */
    public long hitCount() {
        return frozenHitCount + overlayHitCount;
    }

    /** {@return every lookup: hits and misses} */
    public long requestCount() {
        return hitCount() + missCount;
    }

    /** {@return the share of lookups that hit, 1.0 when there were none (as Caffeine reports)} */
    public double hitRate() {
        long requests = requestCount();
        return requests == 0 ? 1.0 : (double) hitCount() / requests;
    }

    /** {@return the share of lookups that missed, 0.0 when there were none} */
    public double missRate() {
        long requests = requestCount();
        return requests == 0 ? 0.0 : (double) missCount / requests;
    }

    /** {@return loader calls, successful or not} */
    public long loadCount() {
        return loadSuccessCount + loadFailureCount;
    }

    /** {@return the mean time of a loader call, 0.0 when there was none} */
    public double averageLoadPenaltyNanos() {
        long loads = loadCount();
        return loads == 0 ? 0.0 : (double) totalLoadTimeNanos / loads;
    }

    /**
     * Returns what happened between an earlier snapshot and this one (overlay bytes are this
     * snapshot's, not a difference).
     *
     * @param earlier a snapshot of the same cache taken before this one
     * @return the differences of the counts, each at least 0
     */
    public CacheStats minus(CacheStats earlier) {
        return new CacheStats(Math.max(0, frozenHitCount - earlier.frozenHitCount),
                Math.max(0, overlayHitCount - earlier.overlayHitCount), Math.max(0, missCount - earlier.missCount),
                Math.max(0, loadSuccessCount - earlier.loadSuccessCount), Math.max(0, loadFailureCount - earlier.loadFailureCount),
                Math.max(0, totalLoadTimeNanos - earlier.totalLoadTimeNanos), Math.max(0, evictionCount - earlier.evictionCount),
                Math.max(0, evictionWeight - earlier.evictionWeight), overlayBytes);
    }
}

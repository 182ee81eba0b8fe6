package dev.permafrost.jmh.trace;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Caffeine (adaptive W-TinyLFU) configured as its own simulator configures it: bounded by
 * {@code maximumSize}, maintenance run on the calling thread ({@code executor(Runnable::run)}),
 * {@code getIfPresent} then {@code put} on a miss, and no {@code cleanUp()} call of its own.
 */
final class CaffeineReplayedCache implements ReplayedCache {

    private final Cache<Integer, Integer> cache;

    /**
     * An empty Caffeine cache.
     *
     * @param capacity the {@code maximumSize}, in entries
     */
    CaffeineReplayedCache(int capacity) {
        this.cache = Caffeine.newBuilder()
                .initialCapacity(capacity)
                .maximumSize(capacity)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public String name() {
        return "caffeine";
    }

    @Override
    public boolean access(int key) {
        if (cache.getIfPresent(key) != null) {
            return true;
        }
        cache.put(key, key);
        return false;
    }
}

package dev.permafrost.jmh.trace;

import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.Map;

/** The textbook LRU: a {@link LinkedHashMap} in access order that drops its eldest entry beyond the capacity. */
final class LruReplayedCache implements ReplayedCache {

    private final Lru map;

    /**
     * An empty LRU.
     *
     * @param capacity the entries it holds at most
     */
    LruReplayedCache(int capacity) {
        this.map = new Lru(capacity);
    }

    @Override
    public String name() {
        return "lru";
    }

    @Override
    public boolean access(int key) {
        if (map.get(key) != null) {
            return true;
        }
        map.put(key, key);
        return false;
    }

    /** The access-ordered map, bounded. */
    private static final class Lru extends LinkedHashMap<Integer, Integer> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int capacity;

        Lru(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
            return size() > capacity;
        }
    }
}

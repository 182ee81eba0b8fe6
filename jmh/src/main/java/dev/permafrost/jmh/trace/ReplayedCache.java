package dev.permafrost.jmh.trace;

/**
 * A cache a trace is replayed into: each access is a lookup that, on a miss, adds the key.
 * One thread calls it; closed once the replay ends.
 */
public interface ReplayedCache extends AutoCloseable {

    /**
     * The cache's name in the output: a JSON key of {@code hit_ratio}.
     *
     * @return a short lower-case name
     */
    String name();

    /**
     * Looks a key up and, if absent, adds it (evicting as the cache's policy decides).
     *
     * @param key the trace's key
     * @return {@code true} for a hit, {@code false} for a miss
     */
    boolean access(int key);

    /** Releases what the cache holds outside the heap (files, mappings); nothing by default. */
    @Override
    default void close() {
    }
}

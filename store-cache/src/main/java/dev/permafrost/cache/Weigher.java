package dev.permafrost.cache;

/**
 * The weight of an overlay entry, for {@link SharedCache.Builder#maximumWeight(long)}: as in
 * Caffeine, computed once when the entry is added, at least 0.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Weigher<K, V> {
    /**
     * Weighs an entry.
     *
     * @param key   the key
     * @param value the value
     * @return its weight, at least 0
     */
    int weigh(K key, V value);
}

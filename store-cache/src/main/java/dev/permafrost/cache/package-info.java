/**
 * The shared cache API: {@code SharedCache} (readers, in any process), {@code CacheWriter}
 * (the frozen base, built once and published atomically), {@code CacheEntry} (a zero-copy
 * handle that keeps its entry valid until closed), {@code Codec} and {@code Codecs}, and
 * {@link dev.permafrost.cache.CacheStats}.
 *
 * <p>Thread rules: a {@code SharedCache} is safe from any number of threads; a writer is used
 * by one thread. Hot paths: lookups of frozen entries, which write nothing to the mapping.
 */
package dev.permafrost.cache;

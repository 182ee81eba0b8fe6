/**
 * The shared cache API: {@link dev.permafrost.cache.CacheWriter} builds one version of the frozen
 * base and publishes it atomically; {@link dev.permafrost.cache.SharedCache} maps the current
 * version copy-on-write in any process and swaps to a newer one on
 * {@link dev.permafrost.cache.SharedCache#refresh()}; {@link dev.permafrost.cache.CacheEntry} is a
 * zero-copy handle that keeps its version mapped until closed; {@link dev.permafrost.cache.Codec}
 * ({@link dev.permafrost.cache.ByteCodec}, {@link dev.permafrost.cache.RecordCodec}) and
 * {@link dev.permafrost.cache.Codecs} say how keys and values are stored;
 * {@link dev.permafrost.cache.CacheStats}; the {@link dev.permafrost.cache.CacheException} family.
 * The format is defined by {@code store-layout}'s {@code CacheHeaderDescriptor},
 * {@code CacheSlotDescriptor} and {@code CacheEntryDescriptor} (package-private {@code CacheFormat}
 * gives them short names here), described in {@code docs/FORMAT.md}.
 *
 * <p>Thread rules: a {@code SharedCache} is safe from any number of threads; a writer is used by
 * one thread; a handle by one thread at a time. Hot paths: {@code getEntry} and
 * {@code getIfPresent} on frozen entries, which write nothing to the mapping: a probe of the
 * table, a key comparison in place, and one striped counter on the heap for the handle; and on
 * this worker's overlay entries, a map lookup, a compare-and-set of the entry's own reference
 * count, and the eviction policy's capped per-entry counter (no lock, nothing global written).
 * Overlay writes (put, a load's result, invalidate, eviction) are serialised by one lock; loaders
 * run outside it.
 */
package dev.permafrost.cache;

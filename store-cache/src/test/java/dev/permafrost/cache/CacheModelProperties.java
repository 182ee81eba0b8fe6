package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of writer puts, publishes with refresh, overlay puts, loads, invalidations
 * and lookups, against a model: a HashMap of the published version, and one of this worker's
 * overlay (a tombstone for an invalidated key the published version holds). Unbounded, the cache
 * must agree with the model exactly. Bounded, eviction may drop any overlay entry or tombstone
 * (the frozen base then shows through), so only safety is asserted: a value seen is the model's
 * overlay value or the published one, never another; a key the overlay never held reads as
 * published; the overlay never holds more than its bound.
 */
class CacheModelProperties {
    private static final String TOMBSTONE = new String("tombstone");

    sealed interface Op permits Put, Publish, Get, OverlayPut, Load, Invalidate, InvalidateAll {}

    record Load(String key, String value) implements Op {}

    record OverlayPut(String key, String value) implements Op {}

    record Invalidate(String key) implements Op {}

    record InvalidateAll() implements Op {}

    record Put(String key, String value) implements Op {}

    record Publish() implements Op {}

    record Get(String key) implements Op {}

    @Property(tries = 25)
    void lookupsSeeTheOverlayOverThePublishedVersion(@ForAll("operations") List<Op> operations) throws IOException {
        check(operations, -1);
    }

    @Property(tries = 25)
    void aBoundedOverlayShowsOnlyTheLastValuePutOrThePublishedOneAndStaysWithinItsBound(
            @ForAll("operations") List<Op> operations, @ForAll @IntRange(min = 0, max = 4) int maximumSize) throws IOException {
        check(operations, maximumSize);
    }

    /** Runs the operations against the model; {@code maximumSize} -1 for an unbounded overlay, asserted exactly. */
    private static void check(List<Op> operations, int maximumSize) throws IOException {
        boolean bounded = maximumSize >= 0;
        Path dir = Files.createTempDirectory("cache-model");
        try {
            Map<String, String> building = new HashMap<>();
            Map<String, String> published = new HashMap<>();
            Map<String, String> mine = new HashMap<>();
            CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string());
            writer.publish(); // an empty first version, so that a reader can open
            writer = SharedCache.writer(dir, Codecs.string(), Codecs.string());
            SharedCache.Builder<String, String> builder = SharedCache.builder(Codecs.string(), Codecs.string());
            if (bounded) {
                builder.maximumSize(maximumSize);
            }
            try (SharedCache<String, String> cache = builder.open(dir)) {
                for (Op op : operations) {
                    switch (op) {
                        case Put put -> {
                            writer.put(put.key(), put.value());
                            building.put(put.key(), put.value());
                        }
                        case Publish publish -> {
                            writer.publish();
                            published = building;
                            building = new HashMap<>();
                            writer = SharedCache.writer(dir, Codecs.string(), Codecs.string());
                            assertThat(cache.refresh()).isTrue();
                            if (!bounded) {
                                assertThat(cache.estimatedSize()).isEqualTo(published.size() + mine.size());
                            }
                        }
                        case OverlayPut put -> {
                            cache.put(put.key(), put.value());
                            mine.put(put.key(), put.value());
                        }
                        case Load load -> {
                            String own = mine.get(load.key());
                            boolean[] ran = new boolean[1];
                            String got = cache.get(load.key(), key -> {
                                ran[0] = true;
                                return load.value();
                            });
                            if (bounded) {
                                assertThat(got).isIn(allowed(own, published.get(load.key()), load.value()));
                            } else {
                                assertThat(got).isEqualTo(own == TOMBSTONE || own == null && !published.containsKey(load.key())
                                        ? load.value() : own != null ? own : published.get(load.key()));
                            }
                            if (ran[0]) {
                                assertThat(got).isEqualTo(load.value());
                                mine.put(load.key(), load.value());
                            }
                        }
                        case Invalidate invalidate -> {
                            cache.invalidate(invalidate.key());
                            if (published.containsKey(invalidate.key())) {
                                mine.put(invalidate.key(), TOMBSTONE);
                            } else {
                                mine.remove(invalidate.key()); // nothing to hide: no tombstone
                            }
                        }
                        case InvalidateAll invalidateAll -> {
                            cache.invalidateAll();
                            mine.clear();
                        }
                        case Get get -> {
                            String own = mine.get(get.key());
                            String frozen = published.get(get.key());
                            String expected = own == TOMBSTONE ? null : own != null ? own : frozen;
                            String copy = cache.getIfPresent(get.key());
                            String inPlace;
                            try (CacheEntry<String> entry = cache.getEntry(get.key())) {
                                inPlace = entry == null ? null : entry.value();
                            }
                            if (bounded && own != null) {
                                assertThat(copy).isIn(allowed(own, frozen, null));
                                assertThat(inPlace).isIn(allowed(own, frozen, null));
                            } else {
                                assertThat(copy).isEqualTo(expected);
                                assertThat(inPlace).isEqualTo(expected);
                            }
                        }
                    }
                    if (bounded) {
                        assertThat(cache.overlayCount()).as("entries and tombstones within the bound").isLessThanOrEqualTo(maximumSize);
                    }
                }
                for (var entry : published.entrySet()) {
                    if (!mine.containsKey(entry.getKey())) {
                        assertThat(cache.getIfPresent(entry.getKey())).isEqualTo(entry.getValue());
                    }
                }
            } finally {
                writer.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** {@return what a bounded overlay may show for a key: its model value unless evicted, the published value, or a loaded one} */
    private static List<String> allowed(String own, String frozen, String loaded) {
        List<String> allowed = new java.util.ArrayList<>();
        if (own != null && own != TOMBSTONE) {
            allowed.add(own);
        }
        allowed.add(frozen); // the overlay's entry or tombstone evicted: the frozen base shows (null if it has none)
        if (loaded != null) {
            allowed.add(loaded);
        }
        return allowed;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<String> keys = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(3),                    // few: many repeats
                Arbitraries.strings().withCharRange('a', 'c').ofLength(70),      // a 2-byte key length
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF').ofMaxLength(8)); // any BMP character (a lone surrogate encodes as '?', like '?')
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(10),
                Arbitraries.strings().ascii().ofMinLength(120).ofMaxLength(300),  // a 2-byte value length
                Arbitraries.strings().withChars('x').ofLength(70_000));          // out of line
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.lazy(() -> net.jqwik.api.Combinators.combine(keys, values).as(Put::new))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Publish())),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(keys, values).as(OverlayPut::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(keys, values).as(Load::new)),
                net.jqwik.api.Tuple.of(2, keys.map(Invalidate::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new InvalidateAll())),
                net.jqwik.api.Tuple.of(6, keys.map(Get::new)));
        return op.list().ofMaxSize(60);
    }
}

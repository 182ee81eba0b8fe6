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

/**
 * Random sequences of writer puts, publishes with refresh, overlay puts, invalidations and
 * lookups, against a model: a HashMap of the published version, and one of this worker's
 * overlay (a tombstone for an invalidated key).
 */
class CacheModelProperties {
    private static final String TOMBSTONE = new String("tombstone");

    sealed interface Op permits Put, Publish, Get, OverlayPut, Invalidate, InvalidateAll {}

    record OverlayPut(String key, String value) implements Op {}

    record Invalidate(String key) implements Op {}

    record InvalidateAll() implements Op {}

    record Put(String key, String value) implements Op {}

    record Publish() implements Op {}

    record Get(String key) implements Op {}

    @Property(tries = 25)
    void lookupsSeeTheOverlayOverThePublishedVersion(@ForAll("operations") List<Op> operations) throws IOException {
        Path dir = Files.createTempDirectory("cache-model");
        try {
            Map<String, String> building = new HashMap<>();
            Map<String, String> published = new HashMap<>();
            Map<String, String> mine = new HashMap<>();
            CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string());
            writer.publish(); // an empty first version, so that a reader can open
            writer = SharedCache.writer(dir, Codecs.string(), Codecs.string());
            try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
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
                            assertThat(cache.estimatedSize()).isEqualTo(published.size() + mine.size());
                        }
                        case OverlayPut put -> {
                            cache.put(put.key(), put.value());
                            mine.put(put.key(), put.value());
                        }
                        case Invalidate invalidate -> {
                            cache.invalidate(invalidate.key());
                            mine.put(invalidate.key(), TOMBSTONE);
                        }
                        case InvalidateAll invalidateAll -> {
                            cache.invalidateAll();
                            mine.clear();
                        }
                        case Get get -> {
                            String own = mine.get(get.key());
                            String expected = own == TOMBSTONE ? null : own != null ? own : published.get(get.key());
                            assertThat(cache.getIfPresent(get.key())).isEqualTo(expected);
                            try (CacheEntry<String> entry = cache.getEntry(get.key())) {
                                assertThat(entry == null ? null : entry.value()).isEqualTo(expected);
                            }
                        }
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
                net.jqwik.api.Tuple.of(2, keys.map(Invalidate::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new InvalidateAll())),
                net.jqwik.api.Tuple.of(6, keys.map(Get::new)));
        return op.list().ofMaxSize(60);
    }
}

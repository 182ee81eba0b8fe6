package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.store.LongField;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.ReferenceField;
import dev.permafrost.store.StringField;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedCacheTest {
    record Product(long sku, String name, double price) {}

    record Part(String name, Ref<Part> next) {}

    @TempDir
    Path dir;

    @Test
    void stringsAndBytesRoundTrip() {
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(dir, Codecs.string(), Codecs.bytes())) {
            writer.put("kettle", new byte[] {1, 2, 3});
            writer.put("ünïcødé", new byte[0]);
            writer.put("", new byte[] {9});
            writer.put("big", new byte[200_000]); // out of line
            writer.publish();
        }
        try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(dir)) {
            assertThat(cache.getIfPresent("kettle")).containsExactly(1, 2, 3);
            assertThat(cache.getIfPresent("ünïcødé")).isEmpty();
            assertThat(cache.getIfPresent("")).containsExactly(9);
            assertThat(cache.getIfPresent("big")).hasSize(200_000);
            assertThat(cache.getIfPresent("absent")).isNull();
            assertThat(cache.estimatedSize()).isEqualTo(4);
            try (CacheEntry<byte[]> entry = cache.getEntry("kettle")) {
                assertThat(entry.valueBytes().toArray(ValueLayout.JAVA_BYTE)).containsExactly(1, 2, 3);
                assertThat(entry.valueBytes().isReadOnly()).isTrue();
                assertThat(entry.value()).containsExactly(1, 2, 3);
            }
            assertThat(cache.getEntry("absent")).isNull();
        }
    }

    @Test
    void longsRoundTripAsKeysAndValues() {
        try (CacheWriter<Long, Long> writer = SharedCache.writer(dir, Codecs.int64(), Codecs.int64())) {
            for (long i = -500; i < 500; i++) {
                writer.put(i * 7919, i);
            }
            writer.put(Long.MIN_VALUE, Long.MAX_VALUE);
            writer.publish();
        }
        try (SharedCache<Long, Long> cache = SharedCache.builder(Codecs.int64(), Codecs.int64()).open(dir)) {
            for (long i = -500; i < 500; i++) {
                assertThat(cache.getIfPresent(i * 7919)).isEqualTo(i);
            }
            assertThat(cache.getIfPresent(Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
            assertThat(cache.getIfPresent(1L)).isNull();
        }
    }

    @Test
    void recordValuesAreTypedObjectsReadInPlace() {
        RecordCodec<Product> products = Codecs.record(Product.class, MethodHandles.lookup());
        try (CacheWriter<String, Product> writer = SharedCache.writer(dir, Codecs.string(), products)) {
            writer.put("p1", new Product(1, "Kettle", 19.5));
            writer.put("p2", new Product(2, "Toaster", 24.0));
            writer.publish();
        }
        try (SharedCache<String, Product> cache = SharedCache.builder(Codecs.string(), products).open(dir)) {
            assertThat(cache.getIfPresent("p1")).isEqualTo(new Product(1, "Kettle", 19.5));
            try (CacheEntry<Product> entry = cache.getEntry("p2")) {
                RecordType<Product> type = entry.recordType();
                LongField sku = type.longField("sku");
                StringField name = type.stringField("name");
                assertThat(sku.get(entry.ref())).isEqualTo(2);
                assertThat(name.contentEquals(entry.ref(), "Toaster")).isTrue();
                assertThat(entry.value()).isEqualTo(new Product(2, "Toaster", 24.0));
                assertThat(entry.valueBytes().byteSize()).isPositive();
            }
        }
    }

    @Test
    void aValuePutLaterReferencesOnePutBeforeThroughValueRefAndTheReferenceOutlivesAReplacement() {
        RecordCodec<Part> parts = Codecs.record(Part.class, MethodHandles.lookup());
        try (CacheWriter<String, Part> writer = SharedCache.writer(dir, Codecs.string(), parts)) {
            writer.put("bolt", new Part("bolt", null));
            writer.put("nut", new Part("nut", writer.valueRef("bolt")));
            writer.put("bolt", new Part("bolt v2", null)); // the old bolt stays: the nut references it
            assertThatThrownBy(() -> writer.valueRef("washer")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("washer");
            writer.publish();
        }
        try (SharedCache<String, Part> cache = SharedCache.builder(Codecs.string(), parts).open(dir);
             CacheEntry<Part> nut = cache.getEntry("nut")) {
            ReferenceField next = nut.recordType().referenceField("next");
            StringField name = nut.recordType().stringField("name");
            Ref<?> bolt = next.get(nut.ref());
            assertThat(bolt).isNotNull();
            assertThat(name.get(bolt.offset())).isEqualTo("bolt");
            assertThat(cache.getIfPresent("bolt").name()).isEqualTo("bolt v2");
        }
        try (CacheWriter<String, byte[]> bytes = SharedCache.writer(dir.resolve("b"), Codecs.string(), Codecs.bytes())) {
            bytes.put("k", new byte[1]);
            assertThatThrownBy(() -> bytes.valueRef("k")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not records");
        }
    }

    @Test
    void aLaterPutOfAKeyWins() {
        RecordCodec<Product> products = Codecs.record(Product.class, MethodHandles.lookup());
        try (CacheWriter<String, Product> writer = SharedCache.writer(dir, Codecs.string(), products)) {
            writer.put("p", new Product(1, "first", 1));
            writer.put("q", new Product(3, "other", 3));
            writer.put("p", new Product(2, "second", 2));
            assertThat(writer.size()).isEqualTo(2);
            writer.publish();
        }
        try (SharedCache<String, Product> cache = SharedCache.builder(Codecs.string(), products).open(dir)) {
            assertThat(cache.getIfPresent("p")).isEqualTo(new Product(2, "second", 2));
            assertThat(cache.estimatedSize()).isEqualTo(2);
        }
    }

    @Test
    void putAllPutsEveryEntryAndNullsAreRefused() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            map.put("key-" + i, "value-" + i);
        }
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.putAll(map);
            assertThatThrownBy(() -> writer.put(null, "v")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> writer.put("k", null)).isInstanceOf(NullPointerException.class);
            writer.publish();
        }
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            map.forEach((k, v) -> assertThat(cache.getIfPresent(k)).isEqualTo(v));
            assertThatThrownBy(() -> cache.getIfPresent(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.getEntry(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void anEmptyCacheFindsNothing() {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.publish();
        }
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            assertThat(cache.getIfPresent("x")).isNull();
            assertThat(cache.estimatedSize()).isZero();
        }
    }

    @Test
    void statsCountFrozenHitsAndMissesOnlyWhenAsked() {
        publishStrings("a", "1");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).recordStats().open(dir)) {
            cache.getIfPresent("a");
            cache.getIfPresent("b");
            cache.getEntry("a").close();
            assertThat(cache.stats().frozenHitCount()).isEqualTo(2);
            assertThat(cache.stats().missCount()).isEqualTo(1);
        }
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            cache.getIfPresent("a");
            assertThat(cache.stats()).isEqualTo(CacheStats.empty());
        }
    }

    @Test
    void theBuilderRefusesInconsistentBounds() {
        assertThatThrownBy(() -> SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(1).maximumWeight(1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SharedCache.builder(Codecs.string(), Codecs.string()).maximumWeight(10).open(dir))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedCache.builder(Codecs.record(Product.class, MethodHandles.lookup()), Codecs.string()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWriterClosedWithoutPublishingPublishesNothingAndLeavesNoFile() throws Exception {
        publishStrings("a", "1");
        String before = Files.readString(dir.resolve("CURRENT"));
        Path file;
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put("a", "2");
            file = writer.file();
            assertThat(file).exists();
        }
        assertThat(file).doesNotExist();
        assertThat(Files.readString(dir.resolve("CURRENT"))).isEqualTo(before);
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            assertThat(cache.getIfPresent("a")).isEqualTo("1");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("CURRENT", "version-0000000001.pf");
        }
    }

    @Test
    void currentNamesTheVersionFile() throws Exception {
        long version = publishStrings("a", "1");
        assertThat(Files.readString(dir.resolve("CURRENT"), StandardCharsets.UTF_8)).isEqualTo(CacheDirectory.versionName(version) + "\n");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            assertThat(cache.version()).isEqualTo(version);
        }
    }

    private long publishStrings(String... keysAndValues) {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                writer.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            return writer.publish();
        }
    }
}

package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.store.Store;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayTest {
    record Product(long sku, String name) {}

    @TempDir
    Path dir;

    @Test
    void putShadowsTheFrozenBaseAndAnInvalidatedFrozenKeyStaysInvisible() {
        publish("a", "frozen-a", "b", "frozen-b");
        try (SharedCache<String, String> cache = open()) {
            cache.put("a", "mine");
            assertThat(cache.getIfPresent("a")).isEqualTo("mine");
            try (CacheEntry<String> entry = cache.getEntry("a")) {
                assertThat(entry.isOverlay()).isTrue();
                assertThat(entry.value()).isEqualTo("mine");
                assertThat(entry.valueBytes().isReadOnly()).isTrue();
            }
            cache.invalidate("b");
            assertThat(cache.getIfPresent("b")).isNull();
            assertThat(cache.getEntry("b")).isNull();
            cache.invalidate("a");
            assertThat(cache.getIfPresent("a")).isNull();
            cache.put("c", "new");
            assertThat(cache.getIfPresent("c")).isEqualTo("new");
            assertThat(cache.stats().overlayBytes()).isEqualTo(3);
            cache.invalidateAll();
            assertThat(cache.getIfPresent("a")).isEqualTo("frozen-a");
            assertThat(cache.getIfPresent("b")).isEqualTo("frozen-b");
            assertThat(cache.getIfPresent("c")).isNull();
            assertThat(cache.stats().overlayBytes()).isZero();
            assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.invalidate(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.get("k", null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void theOverlaySurvivesASwapAndKeepsTheVersionItLivesInOpen() {
        publish("a", "1");
        try (SharedCache<String, String> cache = open()) {
            cache.put("mine", "x");
            cache.invalidate("a");
            Store old = cache.store();
            publish("a", "2", "b", "2");
            assertThat(cache.refresh()).isTrue();
            assertThat(cache.getIfPresent("mine")).isEqualTo("x");
            assertThat(cache.getIfPresent("a")).as("still invalidated").isNull();
            assertThat(cache.getIfPresent("b")).isEqualTo("2");
            assertThat(old.isClosed()).as("the overlay entry lives in it").isFalse();
            cache.invalidate("mine");
            assertThat(old.isClosed()).isTrue();
        }
    }

    @Test
    void anOverlayEntryReplacedWhileAHandleIsOpenStaysValidAndIsFreedWhenItCloses() {
        RecordCodec<Product> products = Codecs.record(Product.class, MethodHandles.lookup());
        try (CacheWriter<String, Product> writer = SharedCache.writer(dir, Codecs.string(), products)) {
            writer.put("p", new Product(1, "frozen"));
            writer.publish();
        }
        try (SharedCache<String, Product> cache = SharedCache.builder(Codecs.string(), products).open(dir)) {
            cache.put("p", new Product(2, "first"));
            CacheEntry<Product> held = cache.getEntry("p");
            long offset = held.ref().offset();
            assertThat(offset).isGreaterThanOrEqualTo(cache.store().frozenBoundaryOffset());
            assertThat(held.recordType().<Product>stringField("name").get(held.ref())).isEqualTo("first");
            cache.put("p", new Product(3, "second"));
            assertThat(cache.getIfPresent("p")).isEqualTo(new Product(3, "second"));
            assertThat(held.value()).isEqualTo(new Product(2, "first"));
            assertThat(cache.store().refCount(offset)).isEqualTo(1);
            held.close();
            assertThat(cache.store().refCount(offset)).as("freed by the last handle").isZero();
            assertThatThrownBy(held::close).isInstanceOf(CacheClosedException.class);
        }
    }

    @Test
    void theLoaderRunsOncePerKeyHoweverManyThreadsAsk() throws Exception {
        publish("frozen", "f");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).recordStats().open(dir)) {
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return cache.get("k", key -> {
                            calls.incrementAndGet();
                            sleep(50);
                            return "loaded-" + key;
                        });
                    }));
                }
                start.countDown();
                for (Future<String> result : results) {
                    assertThat(result.get()).isEqualTo("loaded-k");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(calls).hasValue(1);
            assertThat(cache.get("frozen", key -> {
                throw new AssertionError("a frozen key is not loaded");
            })).isEqualTo("f");
            CacheStats stats = cache.stats();
            assertThat(stats.loadSuccessCount()).isEqualTo(1);
            assertThat(stats.frozenHitCount()).isEqualTo(1);
            assertThat(cache.getIfPresent("k")).isEqualTo("loaded-k");
            assertThat(cache.stats().overlayHitCount()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aLoaderThatThrowsCachesNothingAndTheExceptionReachesTheCaller() {
        publish("a", "1");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).recordStats().open(dir)) {
            assertThatThrownBy(() -> cache.get("k", key -> {
                throw new IllegalStateException("backend down");
            })).isInstanceOf(IllegalStateException.class).hasMessage("backend down");
            assertThat(cache.getIfPresent("k")).isNull();
            assertThat(cache.get("k", key -> null)).isNull();
            assertThat(cache.getIfPresent("k")).isNull();
            cache.invalidate("a");
            assertThat(cache.get("a", key -> "reloaded")).isEqualTo("reloaded");
            assertThat(cache.getIfPresent("a")).isEqualTo("reloaded");
            assertThat(cache.stats().loadFailureCount()).as("the throw and the null, as Caffeine counts them").isEqualTo(2);
        }
    }

    @Test
    void closingTheCacheFreesTheOverlay() {
        publish("a", "1");
        SharedCache<String, String> cache = open();
        cache.put("mine", "x");
        Store store = cache.store();
        cache.close();
        assertThat(store.isClosed()).isTrue();
        assertThatThrownBy(() -> cache.put("k", "v")).isInstanceOf(CacheClosedException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SharedCache<String, String> open() {
        return SharedCache.builder(Codecs.string(), Codecs.string()).open(dir);
    }

    private void publish(String... keysAndValues) {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                writer.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            writer.publish();
        }
    }
}

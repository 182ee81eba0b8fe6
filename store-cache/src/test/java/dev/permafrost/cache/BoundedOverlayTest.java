package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.store.Store;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay under maximumSize and maximumWeight: the bound, eviction under handles, loads, statistics, old versions. */
class BoundedOverlayTest {
    @TempDir
    Path dir;

    @Test
    void theSizeBoundIsNeverExceededAndEvictionsAreCounted() {
        publish("frozen", "f");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string())
                .maximumSize(10).recordStats().open(dir)) {
            long frozenObjects = cache.store().stats().liveObjects();
            for (int i = 0; i < 100; i++) {
                cache.put("k" + i, "value-" + i);
                assertThat(cache.overlayCount()).isLessThanOrEqualTo(10);
                if (i % 3 == 0) {
                    cache.getIfPresent("k" + (i / 2)); // hits, so that S3-FIFO has something to keep
                }
            }
            assertThat(cache.overlayCount()).isEqualTo(10);
            CacheStats stats = cache.stats();
            assertThat(stats.evictionCount()).isEqualTo(90);
            assertThat(stats.evictionWeight()).isEqualTo(90);
            long residentBytes = 0;
            int resident = 0;
            for (int i = 0; i < 100; i++) {
                String value = cache.getIfPresent("k" + i);
                if (value != null) {
                    assertThat(value).isEqualTo("value-" + i);
                    residentBytes += value.length();
                    resident++;
                }
            }
            assertThat(resident).isEqualTo(10);
            assertThat(cache.stats().overlayBytes()).isEqualTo(residentBytes);
            assertThat(cache.store().stats().liveObjects()).as("evicted entries were freed").isEqualTo(frozenObjects + 10);
            assertThat(cache.getIfPresent("frozen")).isEqualTo("f");
        }
    }

    @Test
    void theWeightBoundIsNeverExceededAnEntryHeavierThanItIsNotKeptAndANegativeWeightIsRefused() {
        publish();
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string())
                .maximumWeight(100).weigher((String key, String value) -> value.equals("negative") ? -1 : value.length())
                .recordStats().open(dir)) {
            long frozenObjects = cache.store().stats().liveObjects();
            SplittableRandom random = new SplittableRandom(12);
            long putWeight = 0;
            for (int i = 0; i < 200; i++) {
                String value = "x".repeat(random.nextInt(1, 40));
                cache.put("k" + random.nextInt(50), value);
                putWeight += value.length();
                assertThat(cache.overlayWeight()).isLessThanOrEqualTo(100);
            }
            assertThat(cache.stats().evictionCount()).isPositive();
            assertThat(cache.stats().evictionWeight()).isLessThanOrEqualTo(putWeight);

            long evictionsBefore = cache.stats().evictionCount();
            cache.put("heavy", "y".repeat(101));
            assertThat(cache.getIfPresent("heavy")).as("heavier than the bound: evicted at once").isNull();
            assertThat(cache.stats().evictionCount()).isEqualTo(evictionsBefore + 1);
            assertThat(cache.overlayWeight()).isLessThanOrEqualTo(100);

            long live = cache.store().stats().liveObjects();
            assertThatThrownBy(() -> cache.put("bad", "negative")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("weight of -1");
            assertThatThrownBy(() -> cache.get("bad", key -> "negative")).isInstanceOf(IllegalArgumentException.class);
            assertThat(cache.getIfPresent("bad")).isNull();
            assertThat(cache.store().stats().liveObjects()).as("nothing allocated for a refused entry").isEqualTo(live);
            cache.invalidateAll();
            assertThat(cache.store().stats().liveObjects()).isEqualTo(frozenObjects);
            assertThat(cache.stats().overlayBytes()).isZero();
        }
    }

    @Test
    void anEntryEvictedWhileAHandleIsOpenStaysReadableAndIsFreedWhenTheHandleCloses() {
        publish();
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(2).open(dir)) {
            long frozenObjects = cache.store().stats().liveObjects();
            cache.put("held", "the held value");
            CacheEntry<String> held = cache.getEntry("held");
            long offset = held.overlayObjectOffset();
            for (int i = 0; i < 10; i++) {
                cache.put("other" + i, "v" + i);
            }
            assertThat(cache.getIfPresent("held")).as("evicted").isNull();
            assertThat(held.value()).isEqualTo("the held value");
            assertThat(held.valueBytes().byteSize()).isEqualTo(14);
            assertThat(cache.store().refCount(offset)).isEqualTo(1);
            assertThat(cache.store().stats().liveObjects()).as("two resident entries and the evicted one under the handle")
                    .isEqualTo(frozenObjects + 3);
            held.close();
            assertThat(cache.store().refCount(offset)).isZero();
            assertThat(cache.store().stats().liveObjects()).as("freed by the handle's close").isEqualTo(frozenObjects + 2);
        }
    }

    @Test
    void aHandleOnAnEvictedEntryKeepsItsObjectCountedOnce() {
        publish();
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(1).open(dir)) {
            cache.put("a", "1");
            CacheEntry<String> first = cache.getEntry("a");
            CacheEntry<String> second = cache.getEntry("a");
            cache.put("b", "2"); // evicts a
            assertThat(cache.getIfPresent("a")).isNull();
            long offset = first.overlayObjectOffset();
            assertThat(cache.store().refCount(offset)).as("the store object has one count, held by the entry").isEqualTo(1);
            first.close();
            assertThat(cache.store().refCount(offset)).isEqualTo(1);
            assertThat(second.value()).isEqualTo("1");
            second.close();
            assertThat(cache.store().refCount(offset)).as("freed").isZero();
        }
    }

    @Test
    void concurrentLoadersOfOneKeyRunTheLoaderOnceInABoundedOverlay() throws Exception {
        publish();
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string())
                .maximumSize(4).recordStats().open(dir)) {
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
            assertThat(cache.stats().loadSuccessCount()).isEqualTo(1);
            assertThat(cache.getIfPresent("k")).isEqualTo("loaded-k");
        }
    }

    @Test
    void aLoaderThatThrowsCachesNothingInABoundedOverlayAndTheExceptionReachesTheCaller() {
        publish("frozen", "f");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string())
                .maximumSize(2).recordStats().open(dir)) {
            cache.put("a", "1");
            cache.put("b", "2");
            long live = cache.store().stats().liveObjects();
            IllegalStateException thrown = new IllegalStateException("backend down");
            assertThatThrownBy(() -> cache.get("k", key -> {
                throw thrown;
            })).isSameAs(thrown);
            assertThat(cache.getIfPresent("k")).isNull();
            assertThat(cache.getIfPresent("a")).as("nothing evicted for a failed load").isEqualTo("1");
            assertThat(cache.getIfPresent("b")).isEqualTo("2");
            assertThat(cache.store().stats().liveObjects()).isEqualTo(live);
            assertThat(cache.stats().loadFailureCount()).isEqualTo(1);
            assertThat(cache.stats().evictionCount()).isZero();
        }
    }

    @Test
    void tombstonesCountAgainstTheBoundAndAnInvalidatedKeyTheBaseLacksLeavesNone() {
        String[] frozen = new String[40];
        for (int i = 0; i < 20; i++) {
            frozen[2 * i] = "f" + i;
            frozen[2 * i + 1] = "frozen-" + i;
        }
        publish(frozen);
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(4).open(dir)) {
            cache.put("mine", "x");
            cache.invalidate("mine");
            cache.invalidate("never-seen");
            assertThat(cache.overlayCount()).as("no tombstone for keys the frozen base lacks").isZero();
            for (int i = 0; i < 20; i++) {
                cache.invalidate("f" + i);
                assertThat(cache.overlayCount()).isLessThanOrEqualTo(4);
            }
            int hidden = 0;
            for (int i = 0; i < 20; i++) {
                String value = cache.getIfPresent("f" + i);
                if (value == null) {
                    hidden++;
                } else {
                    assertThat(value).as("a tombstone evicted: the frozen entry shows again").isEqualTo("frozen-" + i);
                }
            }
            assertThat(hidden).isEqualTo(4);
        }
    }

    @Test
    void evictionReleasesTheOldVersionSoItsStoreClosesAfterARefresh() {
        publish("a", "1");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(4).open(dir)) {
            cache.put("old-1", "x");
            cache.put("old-2", "y");
            CacheEntry<String> held = cache.getEntry("old-1");
            Store old = cache.store();
            publish("a", "2");
            assertThat(cache.refresh()).isTrue();
            assertThat(old.isClosed()).as("the overlay's entries live in it").isFalse();
            for (int i = 0; i < 20; i++) {
                cache.put("new-" + i, "v" + i);
            }
            assertThat(cache.getIfPresent("old-1")).isNull();
            assertThat(cache.getIfPresent("old-2")).isNull();
            assertThat(old.isClosed()).as("a handle is open on an evicted entry of it").isFalse();
            assertThat(held.value()).isEqualTo("x");
            held.close();
            assertThat(old.isClosed()).as("the last entry of the old version evicted and its handle closed").isTrue();
            assertThat(cache.store().isClosed()).isFalse();
        }
    }

    @Test
    void aBoundOfZeroKeepsNothing() {
        publish("frozen", "f");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string())
                .maximumSize(0).recordStats().open(dir)) {
            long live = cache.store().stats().liveObjects();
            cache.put("k", "v");
            assertThat(cache.get("l", key -> "loaded")).isEqualTo("loaded");
            assertThat(cache.getIfPresent("k")).isNull();
            assertThat(cache.getIfPresent("l")).isNull();
            assertThat(cache.overlayCount()).isZero();
            assertThat(cache.store().stats().liveObjects()).isEqualTo(live);
            assertThat(cache.stats().evictionCount()).isEqualTo(2);
        }
    }

    @Test
    void withoutRecordStatsNothingIsCountedButOverlayBytes() {
        publish("frozen", "f");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(1).open(dir)) {
            cache.put("a", "12");
            cache.put("b", "345");
            cache.getIfPresent("b");
            cache.getIfPresent("frozen");
            cache.getIfPresent("none");
            assertThat(cache.stats()).isEqualTo(new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 3));
        }
    }

    /**
     * Threads put, load, look up (holding handles across other operations), and invalidate over
     * a few keys in a small overlay: the bound holds at every step, every value read is one put
     * for its key, a handle reads its value until closed, and at the end nothing leaks.
     */
    @Test
    void putsLoadsLookupsWithHandlesAndInvalidationsFromManyThreadsStayWithinTheBoundAndLeakNothing() throws Exception {
        publish("k1", "k1=frozen", "k7", "k7=frozen");
        int threads = 4;
        int bound = 8;
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string())
                .maximumSize(bound).recordStats().open(dir)) {
            long frozenObjects = cache.store().stats().liveObjects();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(seed);
                    ArrayDeque<CacheEntry<String>> handles = new ArrayDeque<>();
                    ArrayDeque<String> expected = new ArrayDeque<>();
                    for (int i = 0; i < 20_000; i++) {
                        String key = "k" + random.nextInt(24);
                        switch (random.nextInt(10)) {
                            case 0, 1 -> cache.put(key, key + "=" + seed + "/" + i);
                            case 2 -> checkValue(key, cache.get(key, k -> k + "=loaded"));
                            case 3 -> cache.invalidate(key);
                            case 4, 5 -> {
                                CacheEntry<String> entry = cache.getEntry(key);
                                if (entry != null) {
                                    String value = entry.value();
                                    checkValue(key, value);
                                    handles.addLast(entry);
                                    expected.addLast(value);
                                }
                            }
                            default -> {
                                String value = cache.getIfPresent(key);
                                if (value != null) {
                                    checkValue(key, value);
                                }
                            }
                        }
                        if (handles.size() > 3) { // held across other threads' evictions
                            CacheEntry<String> oldest = handles.pollFirst();
                            assertThat(oldest.value()).isEqualTo(expected.pollFirst());
                            oldest.close();
                        }
                        assertThat(cache.overlayCount()).isLessThanOrEqualTo(bound);
                    }
                    while (!handles.isEmpty()) {
                        assertThat(handles.peekFirst().value()).isEqualTo(expected.pollFirst());
                        handles.pollFirst().close();
                    }
                    return null;
                }));
            }
            start.countDown();
            try {
                for (Future<?> future : done) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(cache.stats().evictionCount()).isPositive();
            assertThat(cache.overlayCount()).isLessThanOrEqualTo(bound);
            cache.invalidateAll();
            assertThat(cache.store().stats().liveObjects()).as("every overlay object freed").isEqualTo(frozenObjects);
            assertThat(cache.stats().overlayBytes()).isZero();
        }
    }

    private static void checkValue(String key, String value) {
        assertThat(value).startsWith(key + "=");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

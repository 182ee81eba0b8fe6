package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader built with {@code watchDirectory()} swaps to a published version by itself, and stops watching when closed. */
class DirectoryWatcherTest {
    private static final long WAIT_NANOS = 10_000_000_000L;

    @TempDir
    Path dir;

    private long publish(String key, String value) {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put(key, value);
            return writer.publish();
        }
    }

    @Test
    void aWatchingReaderSeesANewVersionWithoutCallingRefresh() throws InterruptedException {
        publish("k", "one");
        SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).watchDirectory().open(dir);
        try (cache) {
            assertThat(cache.isWatching()).isTrue();
            long v2 = publish("k", "two");
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (cache.version() != v2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cache.version()).as("swapped within 10 s").isEqualTo(v2);
            assertThat(cache.getIfPresent("k")).isEqualTo("two");
            assertThat(cache.lastRefreshFailure()).isEmpty();
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (cache.isWatching() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(cache.isWatching()).as("the watcher thread ends with the cache").isFalse();
    }

    @Test
    void aFailedAutomaticRefreshKeepsTheVersionAndIsReported() throws Exception {
        long v1 = publish("k", "one");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).watchDirectory().open(dir)) {
            Files.writeString(dir.resolve("CURRENT"), "no-such-version.pf\n"); // what a broken publisher could leave
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (cache.lastRefreshFailure().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cache.lastRefreshFailure()).get().isInstanceOf(CacheException.class);
            assertThat(cache.version()).isEqualTo(v1);
            assertThat(cache.getIfPresent("k")).isEqualTo("one");
        }
    }
}

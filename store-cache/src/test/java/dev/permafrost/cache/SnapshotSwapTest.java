package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSwapTest {
    @TempDir
    Path dir;

    @Test
    void refreshSwapsToTheNewVersionAndAnOldHandleStillReadsItsValue() {
        publish("k", "old");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            assertThat(cache.refresh()).isFalse();
            CacheEntry<String> old = cache.getEntry("k");
            Store oldStore = cache.store();
            long v2 = publish("k", "new");
            assertThat(cache.refresh()).isTrue();
            assertThat(cache.version()).isEqualTo(v2);
            assertThat(cache.getIfPresent("k")).isEqualTo("new");
            assertThat(old.value()).isEqualTo("old");
            assertThat(old.version()).isEqualTo(v2 - 1);
            assertThat(oldStore.isClosed()).isFalse();
            old.close();
            assertThat(oldStore.isClosed()).isTrue();
            assertThatThrownBy(old::close).isInstanceOf(CacheClosedException.class).hasMessageContaining("closed already");
            assertThatThrownBy(old::value).isInstanceOf(CacheClosedException.class);
            assertThatThrownBy(old::valueBytes).isInstanceOf(CacheClosedException.class);
        }
    }

    @Test
    void anOldVersionWithoutHandlesClosesAtTheSwap() {
        publish("k", "old");
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            Store oldStore = cache.store();
            publish("k", "new");
            cache.refresh();
            assertThat(oldStore.isClosed()).isTrue();
        }
    }

    @Test
    void closingTheCacheKeepsOpenHandlesValidUntilTheyClose() {
        publish("k", "v");
        SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir);
        CacheEntry<String> entry = cache.getEntry("k");
        Store store = cache.store();
        cache.close();
        cache.close(); // idempotent
        assertThatThrownBy(() -> cache.getIfPresent("k")).isInstanceOf(CacheClosedException.class);
        assertThatThrownBy(cache::refresh).isInstanceOf(CacheClosedException.class);
        assertThat(entry.value()).isEqualTo("v");
        assertThat(store.isClosed()).isFalse();
        entry.close();
        assertThat(store.isClosed()).isTrue();
    }

    @Test
    void readersInSeveralThreadsSeeOneVersionOrTheOtherAcrossSwapsAndEveryOldStoreCloses() throws Exception {
        publishVersion(0);
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            try (CacheEntry<String> a = cache.getEntry("a"); CacheEntry<String> b = cache.getEntry("b")) {
                                // each handle reads its own version's value, whichever versions they are on
                                assertThat(a.value()).isEqualTo("v" + (a.version() - 1));
                                assertThat(b.value()).isEqualTo("v" + (b.version() - 1));
                                assertThat(a.valueBytes().byteSize()).isEqualTo(a.value().length());
                            }
                            String value = cache.getIfPresent("a");
                            assertThat(value).startsWith("v");
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            List<Store> swappedOut = new ArrayList<>();
            for (int v = 1; v <= 12; v++) {
                publishVersion(v);
                Store before = cache.store();
                cache.refresh();
                swappedOut.add(before);
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join(30_000);
            }
            assertThat(failure.get()).isNull();
            assertThat(cache.getIfPresent("a")).isEqualTo("v12");
            assertThat(swappedOut).as("no mapping leaked: the last handle of each old version closed its store")
                    .allMatch(Store::isClosed);
            assertThat(cache.currentSnapshot().openHandles()).isZero();
        }
    }

    @Test
    void versionsNobodyHasOpenAreDeletedKeepingTheNewestTwo() throws Exception {
        long v1 = publish("k", "1");
        try (SharedCache<String, String> pinned = SharedCache.builder(Codecs.string(), Codecs.string()).open(dir)) {
            assertThat(CacheDirectory.isLocked(dir.resolve(CacheDirectory.versionName(v1)))).isTrue();
            publish("k", "2");
            publish("k", "3");
            long v4 = publish("k", "4");
            // v1 is held open by a reader: kept; v2 is unused and not among the newest two: deleted
            assertThat(versionFiles()).containsExactly(CacheDirectory.versionName(v1), CacheDirectory.versionName(v4 - 1),
                    CacheDirectory.versionName(v4));
            assertThat(pinned.getIfPresent("k")).isEqualTo("1");
        }
        assertThat(CacheDirectory.isLocked(dir.resolve(CacheDirectory.versionName(v1)))).isFalse();
        long v5 = publish("k", "5");
        assertThat(versionFiles()).containsExactly(CacheDirectory.versionName(v5 - 1), CacheDirectory.versionName(v5));
    }

    @Test
    void aStrayFileOfAWriterThatDiedIsDeletedByTheNextWriter() throws Exception {
        publish("k", "1");
        Path stray = dir.resolve(CacheDirectory.versionName(7));
        Store.create(stray, 1 << 20).close(); // like a writer killed before publishing: no lock, not current
        Files.writeString(dir.resolve("CURRENT.tmp-7"), "version-0000000007.pf\n");
        String current = Files.readString(dir.resolve("CURRENT"));
        long next = publish("k", "2");
        assertThat(stray).doesNotExist();
        assertThat(dir.resolve("CURRENT.tmp-7")).doesNotExist();
        assertThat(next).as("the stray is deleted before the next number is taken").isEqualTo(2);
        assertThat(current).isEqualTo("version-0000000001.pf\n");
    }

    private List<String> versionFiles() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("version-")).sorted().toList();
        }
    }

    private void publishVersion(int v) {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put("a", "v" + v);
            writer.put("b", "v" + v);
            writer.publish();
        }
    }

    private long publish(String key, String value) {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put(key, value);
            return writer.publish();
        }
    }
}

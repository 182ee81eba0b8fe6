package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format's budget: at most 16 bytes per frozen entry beyond its key and value bytes, counted from the file size. */
class PerEntryMemoryTest {
    private static final int ENTRIES = 1_000_000;
    private static final int KEY_BYTES = 16;
    private static final int VALUE_BYTES = 100;

    @TempDir
    Path dir;

    @Test
    void aMillionEntriesOf16ByteKeysAnd100ByteValuesCostAtMost16BytesEachBeyondKeysAndValues() {
        byte[] value = new byte[VALUE_BYTES];
        long start = System.nanoTime();
        long version;
        long putNanos;
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(dir, Codecs.string(), Codecs.bytes())) {
            for (int i = 0; i < ENTRIES; i++) {
                value[0] = (byte) i;
                writer.put(key(i), value);
            }
            putNanos = System.nanoTime() - start;
            version = writer.publish();
        }
        long buildNanos = System.nanoTime() - start;
        long fileBytes = fileSize(dir.resolve(CacheDirectory.versionName(version)));
        double overheadPerEntry = (double) (fileBytes - (long) ENTRIES * (KEY_BYTES + VALUE_BYTES)) / ENTRIES;
        System.out.printf("%,d entries: file %,d bytes, %.2f bytes per entry beyond keys and values; built and published"
                + " in %,d ms (%,.0f entries/s; puts %,d ms, publish %,d ms)%n", ENTRIES, fileBytes, overheadPerEntry,
                buildNanos / 1_000_000, ENTRIES / (buildNanos / 1e9), putNanos / 1_000_000, (buildNanos - putNanos) / 1_000_000);
        assertThat(overheadPerEntry).isLessThanOrEqualTo(16.0);
        try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(dir)) {
            assertThat(cache.estimatedSize()).isEqualTo(ENTRIES);
            for (int i = 0; i < ENTRIES; i += 9973) {
                assertThat(cache.getIfPresent(key(i))[0]).isEqualTo((byte) i);
            }
            assertThat(cache.getIfPresent("absent-key-00000")).isNull();
            for (int i = 0; i < 50_000; i++) { // most stop at the filter; the 3% it passes are looked up in the table
                assertThat(cache.getEntry(key(ENTRIES + i))).isNull();
            }
            Snapshot snapshot = cache.currentSnapshot();
            assertThat(snapshot.keyBytes).isEqualTo((long) ENTRIES * KEY_BYTES);
            assertThat(snapshot.valueBytes).isEqualTo((long) ENTRIES * VALUE_BYTES);
            System.out.printf("slots %,d, longest probe %d%n", snapshot.slotCount, snapshot.longestProbe);
        }
    }

    /** A 16-byte ASCII key. */
    static String key(int i) {
        String digits = Integer.toString(i);
        String key = "key-" + "0".repeat(12 - digits.length()) + digits;
        assert key.getBytes(StandardCharsets.US_ASCII).length == KEY_BYTES;
        return key;
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

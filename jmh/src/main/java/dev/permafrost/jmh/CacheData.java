package dev.permafrost.jmh;

import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The data of issue 12's cache targets: {@code count} entries whose keys are 16-byte ASCII
 * strings ({@code "key:"} and 12 digits) and whose values are 100 random bytes, made the same
 * way (same seed) in every JVM. Lookups use other {@code String} instances than the ones stored
 * (equal, not identical, so no map can win by a reference comparison). Miss keys
 * ({@code "mis:"} and 12 digits) are 16 bytes too and never stored.
 */
final class CacheData {
    /** Entries of issue 12's data set. */
    static final int ENTRIES = 1_000_000;
    /** Bytes of every key. */
    static final int KEY_BYTES = 16;
    /** Bytes of every value. */
    static final int VALUE_BYTES = 100;
    private static final long SEED = 0x5EED_CACE_12L;

    private CacheData() {
    }

    /** {@return key number i: 16 ASCII bytes} */
    static String key(int i) {
        return "key:" + twelveDigits(i);
    }

    /** {@return miss key number i: 16 ASCII bytes, never stored} */
    static String missKey(int i) {
        return "mis:" + twelveDigits(i);
    }

    private static String twelveDigits(int i) {
        String digits = Integer.toString(i);
        return "0".repeat(12 - digits.length()) + digits;
    }

    /** {@return the values of entries 0 to count - 1: 100 bytes each, the same in every JVM} */
    static byte[][] values(int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[VALUE_BYTES];
            for (int at = 0; at < VALUE_BYTES; at += Long.BYTES) {
                long word = random.nextLong();
                for (int b = 0; b < Long.BYTES && at + b < VALUE_BYTES; b++) {
                    value[at + b] = (byte) (word >>> (b * Byte.SIZE));
                }
            }
            values[i] = value;
        }
        return values;
    }

    /** {@return the key bytes of entry i, ASCII} */
    static byte[] keyBytes(int i) {
        return key(i).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes and publishes a version of count entries into a cache directory.
     *
     * @return the values written
     */
    static byte[][] publish(Path directory, int count) {
        byte[][] values = values(count);
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(directory, Codecs.string(), Codecs.bytes())) {
            for (int i = 0; i < count; i++) {
                writer.put(key(i), values[i]);
            }
            writer.publish();
        }
        return values;
    }

    /** {@return count random entry numbers below bound, from the seed: the order lookups take} */
    static int[] randomIndices(int count, int bound, long seed) {
        return new SplittableRandom(seed).ints(count, 0, bound).toArray();
    }

    static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder under /tmp", e);
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}

package dev.permafrost.jmh.cache;

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
public final class CacheData {
    /** Entries of issue 12's data set. */
    public static final int ENTRIES = 1_000_000;
    /** Bytes of every key. */
    public static final int KEY_BYTES = 16;
    /** Bytes of every value. */
    public static final int VALUE_BYTES = 100;
    private static final long SEED = 0x5EED_CACE_12L;

    private CacheData() {
    }

    /**
     * Returns key number i.
     *
     * @param i the entry's number, below 10^12
     * @return 16 ASCII characters
     */
    public static String key(int i) {
        return "key:" + twelveDigits(i);
    }

    /**
     * Returns miss key number i.
     *
     * @param i a number below 10^12
     * @return 16 ASCII characters, never a stored key
     */
    public static String missKey(int i) {
        return "mis:" + twelveDigits(i);
    }

    private static String twelveDigits(int i) {
        String digits = Integer.toString(i);
        return "0".repeat(12 - digits.length()) + digits;
    }

    /**
     * Returns the values of entries 0 to count - 1, all in memory.
     *
     * @param count how many
     * @return 100 bytes each, the same in every JVM
     */
    public static byte[][] values(int count) {
        Values stream = new Values();
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = stream.next();
        }
        return values;
    }

    /**
     * The values of entries 0, 1, 2... one at a time, the same as {@link #values}: for data sets
     * too large to hold twice. Thread rules: one thread.
     */
    public static final class Values {
        private final SplittableRandom random = new SplittableRandom(SEED);

        /** Starts at entry 0's value. */
        public Values() {
        }

        /** {@return the next entry's value: 100 new bytes} */
        public byte[] next() {
            byte[] value = new byte[VALUE_BYTES];
            for (int at = 0; at < VALUE_BYTES; at += Long.BYTES) {
                long word = random.nextLong();
                for (int b = 0; b < Long.BYTES && at + b < VALUE_BYTES; b++) {
                    value[at + b] = (byte) (word >>> (b * Byte.SIZE));
                }
            }
            return value;
        }
    }

    /**
     * Returns the key bytes of entry i.
     *
     * @param i the entry's number
     * @return its 16 ASCII bytes
     */
    public static byte[] keyBytes(int i) {
        return key(i).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes and publishes a version of count entries into a cache directory.
     *
     * @param directory the cache directory
     * @param count     entries 0 to count - 1
     * @return the values written
     */
    public static byte[][] publish(Path directory, int count) {
        byte[][] values = values(count);
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(directory, Codecs.string(), Codecs.bytes())) {
            for (int i = 0; i < count; i++) {
                writer.put(key(i), values[i]);
            }
            writer.publish();
        }
        return values;
    }

    /**
     * Writes and publishes a version of count entries, making each value as it is put (the
     * writer keeps no value on the heap): for data sets too large to hold twice.
     *
     * @param directory the cache directory
     * @param count     entries 0 to count - 1
     * @return the published version's file
     */
    public static Path publishStreaming(Path directory, int count) {
        Values values = new Values();
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(directory, Codecs.string(), Codecs.bytes())) {
            for (int i = 0; i < count; i++) {
                writer.put(key(i), values.next());
            }
            writer.publish();
            return writer.file();
        }
    }

    /**
     * Returns random entry numbers: the order lookups take.
     *
     * @param count how many
     * @param bound each is below it
     * @param seed  the random seed
     * @return the numbers
     */
    public static int[] randomIndices(int count, int bound, long seed) {
        return new SplittableRandom(seed).ints(count, 0, bound).toArray();
    }

    /**
     * Creates a new folder under {@code /tmp}.
     *
     * @param prefix the start of its name
     * @return the folder
     * @throws UncheckedIOException if it cannot be created
     */
    public static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder under /tmp", e);
        }
    }

    /**
     * Deletes a folder and everything in it; nothing if it does not exist.
     *
     * @param root the folder, or null
     * @throws UncheckedIOException if something cannot be deleted
     */
    public static void deleteTree(Path root) {
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

    /**
     * Fails a benchmark's set-up whose data is not what it should be.
     *
     * @param condition what must hold
     * @param message   what is wrong otherwise
     * @throws IllegalStateException if the condition is false
     */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}

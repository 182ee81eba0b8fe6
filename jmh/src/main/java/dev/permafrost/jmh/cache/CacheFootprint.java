package dev.permafrost.jmh.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Issue 12's size, build and start-up numbers, which JMH's steady-state scores do not give: not
 * a JMH benchmark, a main class that {@code scripts/bench cache-footprint} runs in fresh JVMs.
 * Data: {@link CacheData} (16-byte ASCII keys, 100-byte values).
 *
 * <ul>
 *   <li>{@code build DIR N}: writes and publishes N entries into a new cache directory; prints
 *       the time from the writer's creation to {@code publish()}'s return (puts, table, freeze,
 *       fsync, rename), entries a second, the version file's size and its bytes per entry beyond
 *       the key and value bytes. The values are made before the clock starts.</li>
 *   <li>{@code caffeine N}: the heap a Caffeine cache of the same N keys and values holds: used
 *       heap after full GCs ({@link MemoryMXBean}) with the cache reachable, less the same without
 *       it; per entry, and beyond the 116 bytes of key and value.</li>
 *   <li>{@code startup DIR KEY}: in this fresh JVM, {@code SharedCache.builder(...).open(DIR)}
 *       then the first {@code getEntry(KEY)}, one byte of its value, close: the nanoseconds from
 *       before the open to after the close ({@link System#nanoTime}), and the JVM's uptime then;
 *       then the same again in the same JVM (a second cache on the version), which leaves out the
 *       one-time loading and linking of classes, method handles and native downcalls.</li>
 * </ul>
 *
 * <p>Run: {@code scripts/bench cache-footprint [--entries N] [--startup-entries M]} (defaults
 * 1,000,000 and 10,000,000); it keeps its files in a folder under {@code /tmp} and deletes them.
 * Output: one line per measurement, {@code key=value} words.
 */
public final class CacheFootprint {
    private CacheFootprint() {
    }

    /**
     * Runs one measurement.
     *
     * @param args {@code build DIR N}, {@code caffeine N} or {@code startup DIR KEY}
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "build" -> {
                if (args.length != 3) {
                    usage();
                }
                build(Path.of(args[1]), Integer.parseInt(args[2]));
            }
            case "caffeine" -> {
                if (args.length != 2) {
                    usage();
                }
                caffeine(Integer.parseInt(args[1]));
            }
            case "startup" -> {
                if (args.length != 3) {
                    usage();
                }
                startup(Path.of(args[1]), args[2]);
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: CacheFootprint build DIR N | caffeine N | startup DIR KEY");
        System.exit(2);
    }

    private static void build(Path directory, int count) {
        byte[][] values = CacheData.values(count);
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = CacheData.key(i);
        }
        long nanos = timedBuild(directory, keys, values);
        long fileBytes = versionFileBytes(directory);
        long payload = (long) count * (CacheData.KEY_BYTES + CacheData.VALUE_BYTES);
        System.out.printf(Locale.ROOT, "build entries=%d seconds=%.3f entries_per_second=%.0f file_bytes=%d bytes_per_entry=%.2f"
                        + " beyond_key_and_value=%.2f%n", count, nanos / 1e9, count / (nanos / 1e9), fileBytes,
                (double) fileBytes / count, (double) (fileBytes - payload) / count);
    }

    /**
     * Builds and publishes a version of the entries, made beforehand, and times it: puts,
     * table, freeze, fsync, rename.
     *
     * @param directory the cache directory
     * @param keys      the keys
     * @param values    their values
     * @return the nanoseconds it took
     */
    static long timedBuild(Path directory, String[] keys, byte[][] values) {
        long start = System.nanoTime();
        try (CacheWriter<String, byte[]> writer = SharedCache.writer(directory, Codecs.string(), Codecs.bytes())) {
            for (int i = 0; i < keys.length; i++) {
                writer.put(keys[i], values[i]);
            }
            writer.publish();
        }
        return System.nanoTime() - start;
    }

    private static long versionFileBytes(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pf")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static void caffeine(int count) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(2L * count).build();
        byte[][] values = CacheData.values(count);
        for (int i = 0; i < count; i++) {
            cache.put(CacheData.key(i), values[i]);
        }
        values = null; // the cache holds them now
        cache.cleanUp();
        long after = usedAfterGc(memory);
        CacheData.check(cache.estimatedSize() == count, "Caffeine holds " + cache.estimatedSize());
        long heap = after - before;
        System.out.printf(Locale.ROOT, "caffeine entries=%d heap_bytes=%d bytes_per_entry=%.2f beyond_key_and_value=%.2f%n",
                count, heap, (double) heap / count,
                (double) heap / count - (CacheData.KEY_BYTES + CacheData.VALUE_BYTES));
        java.lang.ref.Reference.reachabilityFence(cache);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void startup(Path directory, String key) {
        long start = System.nanoTime();
        byte first;
        long openedAt;
        try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(directory)) {
            openedAt = System.nanoTime();
            try (CacheEntry<byte[]> entry = cache.getEntry(key)) {
                CacheData.check(entry != null, "no entry for " + key);
                first = entry.valueBytes().get(ValueLayout.JAVA_BYTE, 0);
            }
            long hitAt = System.nanoTime();
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            long again = openAndHit(directory, key); // the same in a JVM whose classes are loaded: the version's own cost
            System.out.printf(Locale.ROOT, "startup entries=%d open_ms=%.3f first_hit_ms=%.3f open_and_first_hit_ms=%.3f"
                            + " jvm_uptime_ms=%d second_open_and_hit_ms=%.3f byte=%d%n", cache.estimatedSize(),
                    (openedAt - start) / 1e6, (hitAt - openedAt) / 1e6, (hitAt - start) / 1e6, uptime, again / 1e6, first);
        }
    }

    /** {@return nanoseconds to open the cache again, look the key up, read a byte and close the handle} */
    private static long openAndHit(Path directory, String key) {
        long start = System.nanoTime();
        try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(directory);
             CacheEntry<byte[]> entry = cache.getEntry(key)) {
            CacheData.check(entry.valueBytes().get(ValueLayout.JAVA_BYTE, 0) == entry.valueBytes().get(ValueLayout.JAVA_BYTE, 0), "");
            return System.nanoTime() - start;
        }
    }
}

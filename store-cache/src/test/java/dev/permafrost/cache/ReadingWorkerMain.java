package dev.permafrost.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** A worker that reads every frozen entry of a cache, in place, and prints what the kernel says it copied of the mapping. */
public final class ReadingWorkerMain {
    private ReadingWorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args the cache directory and the key count (keys are {@code PerEntryMemoryTest.key(i)})
     */
    public static void main(String[] args) {
        int keys = Integer.parseInt(args[1]);
        try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).recordStats().open(Path.of(args[0]))) {
            long sum = 0;
            for (int i = 0; i < keys; i++) {
                try (CacheEntry<byte[]> entry = cache.getEntry(PerEntryMemoryTest.key(i))) {
                    MemorySegment bytes = entry.valueBytes();
                    for (long at = 0; at < bytes.byteSize(); at++) {
                        sum += bytes.get(ValueLayout.JAVA_BYTE, at);
                    }
                }
            }
            var memory = cache.store().mappingMemory();
            System.out.println("hits " + cache.stats().frozenHitCount() + " sum " + sum + " copied " + memory.copiedBytes()
                    + " rss " + memory.rssBytes());
        }
    }
}

package dev.permafrost.cache;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A worker JVM that holds a handle on a frozen entry while its cache's watcher swaps to the
 * version a writer in another process publishes: it prints what the old handle and a new
 * lookup read, then closes the handle when told to.
 */
public final class SwappingWorkerMain {
    private SwappingWorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args the cache directory and the key to hold
     * @throws Exception if the standard input fails
     */
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (SharedCache<String, String> cache = SharedCache.builder(Codecs.string(), Codecs.string()).watchDirectory()
                .open(Path.of(args[0]))) {
            CacheEntry<String> held = cache.getEntry(args[1]);
            System.out.println("holding version " + cache.version() + " value " + held.value());
            long deadline = System.nanoTime() + 30_000_000_000L;
            long first = cache.version();
            while (cache.version() == first && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.out.println("swapped to version " + cache.version() + " value " + cache.getIfPresent(args[1])
                    + " held " + held.value());
            in.readLine(); // the test looks at the directory before the handle closes
            held.close();
            System.out.println("closed value-after-swap " + cache.getIfPresent(args[1]));
            in.readLine();
        }
    }
}

package dev.permafrost.demo;

import dev.permafrost.cache.CacheStats;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.demo.DemoData.Customer;
import dev.permafrost.fleet.Worker;
import dev.permafrost.fleet.WorkerContext;
import java.nio.file.Path;

/**
 * The demo's worker: times its first lookup, touches every object, reports
 * {@code touched <firstLookupNanos> <objects> <checksum> <cacheHits>} to the master and holds
 * its mapping until the master stops it. The master adds the store's open, which the worker
 * process reported when it attached ({@link dev.permafrost.fleet.WorkerHandle#openNanos}), to
 * give the attach time.
 *
 * <p>Arguments: none for a plain store: the worker finds the data through the root
 * {@value DemoData#ROOT} and retains and releases every customer ({@code cacheHits} is
 * {@code -}). {@code cache DIRECTORY OBJECTS} for a cache version: the worker opens the
 * directory's current version with {@link SharedCache} (its first lookup includes that open),
 * looks every key up through it and reports the cache's hits while touching.
 */
public final class DemoWorker implements Worker {
    /** Creates the worker (the supervisor does, by reflection). */
    public DemoWorker() {
    }

    @Override
    public void run(WorkerContext context) throws Exception {
        if (context.args().size() == 3 && context.args().getFirst().equals("cache")) {
            runOnCache(context, Path.of(context.args().get(1)), Integer.parseInt(context.args().get(2)));
            return;
        }
        long start = System.nanoTime();
        DemoData.firstLookup(context.store());
        long firstLookupNanos = System.nanoTime() - start;
        DemoData.Touched touched = DemoData.touchAll(context.store());
        context.send("touched " + firstLookupNanos + " " + touched.objects() + " " + touched.checksum() + " -");
        context.awaitStop();
    }

    private static void runOnCache(WorkerContext context, Path directory, int objects) throws InterruptedException {
        long start = System.nanoTime();
        try (SharedCache<String, Customer> cache = DemoData.openCache(directory)) {
            DemoData.firstLookup(cache);
            long firstLookupNanos = System.nanoTime() - start;
            CacheStats before = cache.stats();
            DemoData.Touched touched = DemoData.touchAll(cache, objects);
            long hits = cache.stats().minus(before).hitCount();
            context.send("touched " + firstLookupNanos + " " + touched.objects() + " " + touched.checksum() + " " + hits);
            context.awaitStop();
        }
    }
}

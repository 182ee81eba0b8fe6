package dev.permafrost.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A snapshot swap against a reader holding a handle: {@link SharedCache#refresh()}, after a
 * {@link CacheWriter} published a new version, retires the old version while a reader holds a
 * {@link CacheEntry} on it; the old store must stay mapped until the handle closes. A closed
 * store's memory reads as zeros, so a premature close shows as a value of 0.
 *
 * <p>One cache for every state, and a publisher thread that publishes a new version of its
 * directory every few milliseconds, in which the key's value is the version's number: a state's
 * refresh swaps when a version was published since the last one. (A state of its own per swap
 * would cost two publishes, and each writer reserves 1 TiB of address space until it is
 * collected: a few hundred states at once exhaust it.)
 *
 * <p>Results: 1 if both reads through the handle gave its version's value, else 0; 1 if the
 * state's refresh swapped.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "no version was published since the last refresh: the handle read its version intact")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "the refresh swapped and retired a version, which the handle (on it or the new one) read intact")
@Outcome(expect = FORBIDDEN, desc = "a read through the handle gave another value than its version's: its store was closed or changed under it")
@State
public class CacheSwapTest {
    private static final long KEY = 42;
    /** Publishes between swaps, at most this often; a collection every so many publishes returns the writers' address space. */
    private static final long PUBLISH_PAUSE_MILLIS = 2;
    private static final int PUBLISHES_PER_GC = 64;
    static final Path DIRECTORY = StressFiles.newPath("swap");
    static final SharedCache<Long, Long> CACHE = open();

    /** Builds a state: nothing of its own, the cache is the test's. */
    public CacheSwapTest() {
    }

    private static SharedCache<Long, Long> open() {
        publish();
        SharedCache<Long, Long> cache = SharedCache.builder(Codecs.int64(), Codecs.int64()).open(DIRECTORY);
        StressFiles.stopAtExit(Thread.ofPlatform().daemon().name("cache-swap-publisher").start(CacheSwapTest::publishForever));
        return cache;
    }

    private static void publish() {
        try (CacheWriter<Long, Long> writer = SharedCache.writer(DIRECTORY, Codecs.int64(), Codecs.int64())) {
            writer.put(KEY, writer.version());
            writer.publish();
        }
    }

    private static void publishForever() {
        try {
            for (long published = 1; ; published++) {
                Thread.sleep(PUBLISH_PAUSE_MILLIS);
                publish();
                if (published % PUBLISHES_PER_GC == 0) {
                    System.gc(); // unreachable writers' StoreFiles give back their reserved 1 TiB each
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) { // else the fork is ending: its shutdown hook stops this thread
                System.err.println("cache-swap-publisher stopped: " + e); // the states' refreshes then stop swapping
            }
        }
    }

    /**
     * Looks the key up and reads it twice through the handle.
     *
     * @param r r1: whether both reads gave the handle's version
     */
    @Actor
    public void read(II_Result r) {
        try (CacheEntry<Long> entry = CACHE.getEntry(KEY)) {
            long version = entry.version();
            long first = entry.value();
            Thread.onSpinWait();
            long second = entry.value();
            r.r1 = first == version && second == version ? 1 : 0;
        }
    }

    /**
     * Swaps to the version published last, if it is new.
     *
     * @param r r2: whether it swapped
     */
    @Actor
    public void refresh(II_Result r) {
        r.r2 = CACHE.refresh() ? 1 : 0;
    }
}

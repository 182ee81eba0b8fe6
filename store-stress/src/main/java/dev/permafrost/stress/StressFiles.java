package dev.permafrost.stress;

import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Where the stress tests' files live in one jcstress fork, and the stores the states of one
 * test class share.
 *
 * <p>Files go in a folder of their own under {@code -Dpermafrost.stress.dir} (what
 * {@code scripts/stress} passes: {@code /dev/shm} where it can, so a freeze's {@code fsync} is
 * cheap), else under {@code java.io.tmpdir}. A store that a test class shares is unlinked as soon
 * as it is built (its mapping lives on until the fork exits), so it leaves nothing even if the
 * fork is killed; a store or cache directory of one state is deleted by that state's arbiter,
 * and whatever an error left behind by a shutdown hook, and by {@code scripts/stress}, which
 * removes the whole folder when the run ends.
 */
final class StressFiles {
    /** Sparse capacity of a shared store: address space, costing only the pages the objects touch. */
    static final long SHARED_CAPACITY_BYTES = 256L << 20;

    /** Threads that write into the folder (a test's publisher): stopped by the shutdown hook before it deletes. */
    private static final List<Thread> WRITERS = new CopyOnWriteArrayList<>();
    private static final Path DIRECTORY = createDirectory();
    private static final AtomicLong SERIAL = new AtomicLong();

    private StressFiles() {
    }

    /**
     * A new path in this fork's folder, not yet created.
     *
     * @param name what the file is for, for anyone who finds it
     * @return the path
     */
    static Path newPath(String name) {
        return DIRECTORY.resolve(name + "-" + SERIAL.incrementAndGet());
    }

    /**
     * A store whose objects live in private memory above an empty frozen region, where a freed
     * block is reusable at once (an owner's waits for the next commit): the heap a worker
     * allocates in. Its file is already deleted; it is never closed (the fork's exit unmaps it).
     *
     * @param name        what the store is for
     * @param recordTypes record classes to register before the freeze, so that their objects can be written
     * @return the store, frozen, open copy-on-write on its own private memory
     */
    @SafeVarargs
    static Store sharedHeap(String name, Class<? extends Record>... recordTypes) {
        Path path = newPath(name);
        Store store = Store.create(path, SHARED_CAPACITY_BYTES);
        for (Class<? extends Record> type : recordTypes) {
            store.types().register(type);
        }
        store.freeze();
        delete(path);
        return store;
    }

    /**
     * Has the shutdown hook interrupt a thread that writes into this fork's folder, and wait for
     * it, before it deletes the folder.
     *
     * @param writer a thread that ends when interrupted
     */
    static void stopAtExit(Thread writer) {
        WRITERS.add(writer);
    }

    /**
     * Deletes a file or a folder with everything in it; a path that is gone already is fine.
     *
     * @param path the file or folder
     */
    static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static Path createDirectory() {
        Path base = Path.of(System.getProperty("permafrost.stress.dir", System.getProperty("java.io.tmpdir")));
        try {
            Files.createDirectories(base);
            Path directory = Files.createTempDirectory(base, "permafrost-stress-" + ProcessHandle.current().pid() + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Thread writer : WRITERS) {
                    writer.interrupt();
                    try {
                        writer.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                delete(directory);
            }, "permafrost-stress-cleanup"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the stress tests' stores under " + base, e);
        }
    }
}

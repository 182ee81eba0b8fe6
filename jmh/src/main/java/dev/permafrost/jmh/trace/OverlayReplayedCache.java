package dev.permafrost.jmh.trace;

import dev.permafrost.cache.CacheWriter;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The real overlay of a {@link SharedCache}: a cache directory in a temporary directory with an
 * empty published frozen base, opened with {@code maximumSize(N)}, and each access a
 * {@code get(key, loader)} whose loader returns a one-byte value (a miss is an access whose
 * loader ran). Keys are the trace's ints as {@code Codecs.int64()} keys, values
 * {@code Codecs.bytes()}: every miss writes a mortal object in the version's private memory,
 * every eviction frees one.
 */
final class OverlayReplayedCache implements ReplayedCache {

    private static final byte[] VALUE = {1};

    private final Path directory;
    private final SharedCache<Long, byte[]> cache;
    private boolean loaded;

    /**
     * An empty overlay over an empty frozen base.
     *
     * @param capacity the {@code maximumSize}, in entries
     * @throws UncheckedIOException if the temporary directory cannot be made
     */
    OverlayReplayedCache(int capacity) {
        try {
            this.directory = Files.createTempDirectory("permafrost-trace-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary cache directory", e);
        }
        try (CacheWriter<Long, byte[]> writer = SharedCache.writer(directory, Codecs.int64(), Codecs.bytes())) {
            writer.publish();
        }
        this.cache = SharedCache.builder(Codecs.int64(), Codecs.bytes()).maximumSize(capacity).open(directory);
    }

    @Override
    public String name() {
        return "permafrost";
    }

    @Override
    public boolean access(int key) {
        loaded = false;
        cache.get((long) key, k -> {
            loaded = true;
            return VALUE;
        });
        return !loaded;
    }

    /** Closes the cache and deletes its directory. */
    @Override
    public void close() {
        cache.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary cache directory " + directory, e);
        }
    }
}

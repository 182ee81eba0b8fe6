package dev.permafrost.cache;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes a cache when its directory's {@code CURRENT} is replaced: a daemon thread waits on
 * the file system's change notifications for the directory (inotify on Linux: a rename of
 * {@code CURRENT} arrives as its creation) and calls {@link SharedCache#refresh()}. Also looks
 * once a second without a notification, for file systems that deliver none. A refresh that
 * fails leaves the cache on its version and is remembered ({@link SharedCache#lastRefreshFailure()});
 * the next change tries again.
 *
 * <p>Thread rules: one thread per watching cache, stopped by {@link #close()}.
 */
final class DirectoryWatcher implements AutoCloseable {
    private static final long POLL_MILLIS = 1000;

    private final WatchService service;
    private final Thread thread;

    DirectoryWatcher(Path directory, SharedCache<?, ?> cache) {
        try {
            this.service = FileSystems.getDefault().newWatchService();
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw new StoreAccessException(directory, PermafrostException.NO_OFFSET,
                    "cannot watch the cache directory for new versions: " + e.getMessage(), e);
        }
        this.thread = Thread.ofPlatform().daemon().name("permafrost-cache-watcher " + directory).unstarted(() -> run(cache));
        thread.start();
    }

    private void run(SharedCache<?, ?> cache) {
        try {
            while (true) {
                WatchKey key = service.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents(); // CURRENT, a version file or an overflow: refresh looks at CURRENT either way
                    key.reset();
                }
                if (!cache.refreshFromWatcher()) {
                    return; // the cache was closed
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // closed: the thread ends
        }
    }

    /** Stops the thread: it ends within one poll. */
    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // the thread ends on its next poll all the same
        }
        thread.interrupt();
    }

    /** {@return whether the watching thread still runs} */
    boolean isRunning() {
        return thread.isAlive();
    }
}

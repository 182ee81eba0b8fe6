package dev.permafrost.fleet;

import dev.permafrost.store.Store;
import java.util.List;

/**
 * What a {@link Worker} gets: the store (opened {@link dev.permafrost.store.OpenMode#COPY_ON_WRITE}
 * before {@link Worker#run} is called), its index in the fleet, its arguments, and a line to the
 * master. The worker process makes it; a test of a worker may implement it.
 *
 * <p>Thread rules: every method is thread-safe. {@link #send} writes whole lines.
 */
public interface WorkerContext {
    /** {@return the store, opened copy-on-write; closed by the worker process after {@link Worker#run} returns} */
    Store store();

    /** {@return this worker's index in the fleet, 0 to N-1; a restarted worker keeps its index} */
    int index();

    /** {@return the worker arguments the supervisor was given} */
    List<String> args();

    /** {@return the process id of the master that started this worker} */
    long masterPid();

    /**
     * Sends one line to the master, which reads it from {@link WorkerHandle#nextMessage}.
     *
     * @param message a single line (line breaks are replaced by spaces)
     */
    void send(String message);

    /** {@return whether the master asked this worker to stop, or is gone} */
    boolean isStopping();

    /**
     * Blocks until the master asks this worker to stop or dies.
     *
     * @throws InterruptedException if interrupted first
     */
    void awaitStop() throws InterruptedException;

    /**
     * Blocks until the master asks this worker to stop or dies, or the time runs out.
     *
     * @param timeoutMillis how long to wait, in milliseconds
     * @return whether a stop was asked for
     * @throws InterruptedException if interrupted first
     */
    boolean awaitStop(long timeoutMillis) throws InterruptedException;
}

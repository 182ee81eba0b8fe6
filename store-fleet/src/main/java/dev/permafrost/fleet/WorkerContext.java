package dev.permafrost.fleet;

import dev.permafrost.store.Store;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link Worker} gets: the store (opened {@link dev.permafrost.store.OpenMode#COPY_ON_WRITE}
 * before {@link Worker#run} is called), its index in the fleet, its arguments, and a line to the
 * master.
 *
 * <p>Thread rules: every method is thread-safe. {@link #send} writes whole lines.
 */
public final class WorkerContext {
    private final Store store;
    private final int index;
    private final List<String> args;
    private final long masterPid;
    private final long openNanos;
    private final long coldOpenNanos;
    private final PrintStream toMaster;
    private final CountDownLatch stop = new CountDownLatch(1);

    WorkerContext(Store store, int index, List<String> args, long masterPid, long openNanos, long coldOpenNanos,
                  PrintStream toMaster) {
        this.store = store;
        this.index = index;
        this.args = List.copyOf(args);
        this.masterPid = masterPid;
        this.openNanos = openNanos;
        this.coldOpenNanos = coldOpenNanos;
        this.toMaster = toMaster;
    }

    /** {@return the store, opened copy-on-write; closed by the worker process after {@link Worker#run} returns} */
    public Store store() {
        return store;
    }

    /** {@return this worker's index in the fleet, 0 to N-1; a restarted worker keeps its index} */
    public int index() {
        return index;
    }

    /** {@return the worker arguments the supervisor was given} */
    public List<String> args() {
        return args;
    }

    /** {@return the process id of the master that started this worker} */
    public long masterPid() {
        return masterPid;
    }

    /** {@return nanoseconds {@code Store.open} of the store took in this process: what attaching a store costs} */
    public long openNanos() {
        return openNanos;
    }

    /**
     * {@return nanoseconds the JVM's first {@code Store.open} took}: the same open plus the
     * one-time linking of FFM downcalls and method handles of a fresh JVM
     */
    public long coldOpenNanos() {
        return coldOpenNanos;
    }

    /**
     * Sends one line to the master, which reads it from {@link WorkerHandle#nextMessage}.
     *
     * @param message a single line (line breaks are replaced by spaces)
     */
    public void send(String message) {
        synchronized (toMaster) {
            toMaster.println(message.replace('\n', ' ').replace('\r', ' '));
            toMaster.flush();
        }
    }

    /** {@return whether the master asked this worker to stop, or is gone} */
    public boolean isStopping() {
        return stop.getCount() == 0;
    }

    /**
     * Blocks until the master asks this worker to stop or dies.
     *
     * @throws InterruptedException if interrupted first
     */
    public void awaitStop() throws InterruptedException {
        stop.await();
    }

    /**
     * Blocks until the master asks this worker to stop or dies, or the time runs out.
     *
     * @param timeoutMillis how long to wait, in milliseconds
     * @return whether a stop was asked for
     * @throws InterruptedException if interrupted first
     */
    public boolean awaitStop(long timeoutMillis) throws InterruptedException {
        return stop.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    void requestStop() {
        stop.countDown();
    }
}

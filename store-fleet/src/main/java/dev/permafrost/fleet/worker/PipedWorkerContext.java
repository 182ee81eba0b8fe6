package dev.permafrost.fleet.worker;

import dev.permafrost.fleet.WorkerContext;
import dev.permafrost.store.Store;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The context of a worker process: its line to the master is the process's standard output,
 * a pipe the {@code Supervisor} reads; a stop is the end of its standard input
 * ({@link #requestStop}, from {@link WorkerMain}'s watch of it).
 */
final class PipedWorkerContext implements WorkerContext {
    private final Store store;
    private final int index;
    private final List<String> args;
    private final long masterPid;
    private final PrintStream toMaster;
    private final CountDownLatch stop = new CountDownLatch(1);

    PipedWorkerContext(Store store, int index, List<String> args, long masterPid, PrintStream toMaster) {
        this.store = store;
        this.index = index;
        this.args = List.copyOf(args);
        this.masterPid = masterPid;
        this.toMaster = toMaster;
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public List<String> args() {
        return args;
    }

    @Override
    public long masterPid() {
        return masterPid;
    }

    @Override
    public void send(String message) {
        synchronized (toMaster) {
            toMaster.println(message.replace('\n', ' ').replace('\r', ' '));
            toMaster.flush();
        }
    }

    @Override
    public boolean isStopping() {
        return stop.getCount() == 0;
    }

    @Override
    public void awaitStop() throws InterruptedException {
        stop.await();
    }

    @Override
    public boolean awaitStop(long timeoutMillis) throws InterruptedException {
        return stop.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The master closed the pipe (a stop) or died: {@link #awaitStop} returns. */
    void requestStop() {
        stop.countDown();
    }
}

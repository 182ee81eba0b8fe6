package dev.permafrost.fleet;

/** A test worker that fails at once: the supervisor must restart it, up to its limit. */
public final class FailingWorker implements Worker {
    /** Creates the worker. */
    public FailingWorker() {
    }

    @Override
    public void run(WorkerContext context) {
        throw new IllegalStateException("worker " + context.index() + " fails on purpose (a test)");
    }
}

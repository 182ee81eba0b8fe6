package dev.permafrost.fleet;

/** A test worker that reads one object and then holds its mapping until it is stopped. */
public final class IdleWorker implements Worker {
    /** Creates the worker. */
    public IdleWorker() {
    }

    @Override
    public void run(WorkerContext context) throws Exception {
        context.send("index " + context.index() + " " + context.args());
        context.awaitStop();
    }
}

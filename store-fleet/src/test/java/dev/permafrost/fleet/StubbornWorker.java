package dev.permafrost.fleet;

/** A test worker that ignores stop requests: the supervisor must end it with a signal. */
public final class StubbornWorker implements Worker {
    /** Creates the worker. */
    public StubbornWorker() {
    }

    @Override
    public void run(WorkerContext context) throws InterruptedException {
        while (true) {
            Thread.sleep(60_000);
        }
    }
}

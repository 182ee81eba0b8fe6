package dev.permafrost.demo;

import dev.permafrost.fleet.Worker;
import dev.permafrost.fleet.WorkerContext;

/**
 * The demo's worker: times its first lookup through the root, touches every object through
 * it, reports {@code touched <firstLookupNanos> <objects> <checksum>} to the master and holds
 * its mapping until the master stops it. The master adds the store's open, which the worker
 * process reported when it attached ({@link dev.permafrost.fleet.WorkerHandle#openNanos}), to
 * give the attach time.
 *
 * <p>Arguments: none; the worker finds the data through the root {@value DemoData#ROOT}.
 */
public final class DemoWorker implements Worker {
    /** Creates the worker (the supervisor does, by reflection). */
    public DemoWorker() {
    }

    @Override
    public void run(WorkerContext context) throws Exception {
        long start = System.nanoTime();
        DemoData.firstLookup(context.store());
        long firstLookupNanos = System.nanoTime() - start;
        DemoData.Touched touched = DemoData.touchAll(context.store());
        context.send("touched " + firstLookupNanos + " " + touched.objects() + " " + touched.checksum());
        context.awaitStop();
    }
}

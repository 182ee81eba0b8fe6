package dev.permafrost.demo;

import dev.permafrost.fleet.Worker;
import dev.permafrost.fleet.WorkerContext;

/**
 * The demo's worker: times its attach (opening the store, then the first lookup), touches
 * every object through the root, reports
 * {@code touched <attachNanos> <objects> <checksum> <coldOpenNanos>} to the master and holds its mapping until the master stops it.
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
        long attachNanos = context.openNanos() + (System.nanoTime() - start);
        DemoData.Touched touched = DemoData.touchAll(context.store());
        context.send("touched " + attachNanos + " " + touched.objects() + " " + touched.checksum() + " "
                + context.coldOpenNanos());
        context.awaitStop();
    }
}

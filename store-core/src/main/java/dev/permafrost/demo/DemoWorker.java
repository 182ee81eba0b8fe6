package dev.permafrost.demo;

import dev.permafrost.fleet.Worker;
import dev.permafrost.fleet.WorkerContext;

/**
 * The demo's worker: times its attach (opening the store, then the first lookup), touches
 * every object through the root, reports
 * {@code touched <attachNanos> <objects> <checksum> <coldOpenNanos>} to the master and holds its mapping until the master stops it.
 *
 * <p>Arguments: the root's offset.
 */
public final class DemoWorker implements Worker {
    /** Creates the worker (the supervisor does, by reflection). */
    public DemoWorker() {
    }

    @Override
    public void run(WorkerContext context) throws Exception {
        long root = Long.parseLong(context.args().getFirst());
        long start = System.nanoTime();
        DemoData.firstLookup(context.store(), root);
        long attachNanos = context.openNanos() + (System.nanoTime() - start);
        DemoData.Touched touched = DemoData.touchAll(context.store(), root);
        context.send("touched " + attachNanos + " " + touched.objects() + " " + touched.checksum() + " "
                + context.coldOpenNanos());
        context.awaitStop();
    }
}

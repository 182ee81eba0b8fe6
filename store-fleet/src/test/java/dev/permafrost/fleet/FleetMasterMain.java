package dev.permafrost.fleet;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A master JVM for tests: starts a fleet of {@link IdleWorker}s on a store, prints
 * {@code PIDS <pid>...} once every worker runs, then waits to be killed.
 */
public final class FleetMasterMain {
    private FleetMasterMain() {
    }

    /**
     * Runs the master.
     *
     * @param args the store path and the number of workers
     * @throws Exception if the fleet does not start
     */
    public static void main(String[] args) throws Exception {
        Supervisor fleet = Supervisor.builder(Path.of(args[0]), IdleWorker.class).workers(Integer.parseInt(args[1])).start();
        StringBuilder pids = new StringBuilder("PIDS");
        for (WorkerHandle worker : fleet.workers()) {
            if (!worker.await(w -> w.state() == WorkerState.RUNNING, Duration.ofSeconds(60))) {
                throw new IllegalStateException(worker + " did not start");
            }
            pids.append(' ').append(worker.pid());
        }
        System.out.println(pids);
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5));
        fleet.stop();
    }
}

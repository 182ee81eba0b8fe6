package dev.permafrost.fleet;

/**
 * The code a worker process runs: a user's class with a public no-argument constructor,
 * started by a {@link Supervisor} in its own JVM against a store opened copy-on-write.
 *
 * <pre>{@code
 * public final class Lookups implements Worker {
 *     public void run(WorkerContext context) throws Exception {
 *         Store store = context.store();           // mapped copy-on-write: frozen pages stay shared
 *         ...serve...
 *         context.awaitStop();                     // until the supervisor stops the fleet or the master dies
 *     }
 * }
 * }</pre>
 *
 * <p>Returning ends the worker process with status 0 and the supervisor does not restart it;
 * throwing ends it with status 1 and the supervisor restarts it, as it does after a crash.
 */
@FunctionalInterface
public interface Worker {
    /**
     * Runs the worker.
     *
     * @param context the store, this worker's index and arguments, and the line to the master
     * @throws Exception anything: the process exits with status 1 and is restarted
     */
    void run(WorkerContext context) throws Exception;
}

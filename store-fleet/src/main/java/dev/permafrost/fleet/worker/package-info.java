/**
 * The worker JVM's side of a fleet, not exported: {@link dev.permafrost.fleet.worker.WorkerMain},
 * the main class the {@code Supervisor} launches (public, as a main class must be, in a package
 * no other module can reach), the {@code WorkerContext} it hands the user's worker, and the
 * {@code prctl(PR_SET_PDEATHSIG)} call that ties the worker's life to the master's.
 *
 * <p>Protocol with the master: one line {@code permafrost:attached <openNanos> <coldOpenNanos>}
 * on standard output once the store is open, then the worker's own lines; end of file on
 * standard input is a stop.
 *
 * <p>Thread rules: the worker's main thread runs the worker; one daemon thread watches
 * standard input. Nothing here is a hot path.
 */
package dev.permafrost.fleet.worker;

/**
 * Worker fleets: a {@link dev.permafrost.fleet.Supervisor} starts N worker JVMs running a user's
 * {@link dev.permafrost.fleet.Worker} against one store, each mapping it copy-on-write, restarts
 * those that crash, stops them on request, and reports every worker's memory for the store
 * from the kernel's accounting ({@link dev.permafrost.fleet.FleetMemory}).
 *
 * <p>The JVM cannot {@code fork()}, so a worker is a fresh JVM on the master's class path
 * (its main class is in {@code dev.permafrost.fleet.worker}, which this module does not
 * export); the kernel shares every untouched page of the
 * frozen file between all of them, as a fork would. Workers die with the master: end of
 * file on their standard input, and {@code PR_SET_PDEATHSIG}.
 *
 * <p>Thread rules: the supervisor is thread-safe; it launches every process from its own
 * thread. Nothing here is a hot path.
 */
package dev.permafrost.fleet;

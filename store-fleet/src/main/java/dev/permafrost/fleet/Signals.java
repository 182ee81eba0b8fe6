package dev.permafrost.fleet;

import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Signals to worker processes, through jnr-posix's {@code kill(2)}.
 *
 * <p>The JDK reaps its children itself (its process reaper thread owns {@code waitpid}), so the
 * wait status comes from {@link Process#exitValue()}, which on Linux reports a death by signal
 * {@code n} as {@code 128 + n}; calling jnr's {@code waitpid} as well would race that reaper.
 * jnr-posix loads lazily (its first use costs a few hundred milliseconds) and only in the
 * master: workers never touch it.
 */
final class Signals {
    /** Status of a process killed by a signal: 128 plus the signal number. */
    static final int SIGNALED_STATUS_BASE = 128;

    private static final class Holder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    private Signals() {
    }

    /** Asks a process to terminate ({@code SIGTERM}): a JVM runs its shutdown hooks and exits. */
    static void terminate(ProcessHandle process) {
        send(process, Signal.SIGTERM);
    }

    /** Kills a process ({@code SIGKILL}): no cleanup of any kind. */
    static void kill(ProcessHandle process) {
        send(process, Signal.SIGKILL);
    }

    private static void send(ProcessHandle process, Signal signal) {
        if (process.isAlive()) {
            Holder.POSIX.kill((int) process.pid(), signal.intValue());
        }
    }

    /**
     * Describes an exit status.
     *
     * @param status what {@link Process#exitValue()} returned
     * @return e.g. {@code "status 1"} or {@code "signal 9 (SIGKILL)"}
     */
    static String describe(int status) {
        if (status > SIGNALED_STATUS_BASE && status < SIGNALED_STATUS_BASE + 65) {
            Signal signal = Signal.valueOf(status - SIGNALED_STATUS_BASE);
            return "signal " + (status - SIGNALED_STATUS_BASE) + " (" + signal.name() + ")";
        }
        return "status " + status;
    }
}

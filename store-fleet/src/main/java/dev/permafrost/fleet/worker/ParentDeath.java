package dev.permafrost.fleet.worker;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code prctl(PR_SET_PDEATHSIG)} and {@code getppid()} through FFM, for a worker process:
 * the kernel kills the worker when the thread of the master that spawned it ends (the
 * {@link dev.permafrost.fleet.Supervisor}'s own thread, which lives as long as the fleet; and any death of the
 * master, {@code kill -9} included, ends it).
 */
@SuppressWarnings("restricted") // two libc downcalls; worker JVMs are launched with --enable-native-access
final class ParentDeath {
    private static final int PR_SET_PDEATHSIG = 1;
    /** SIGKILL on Linux (x86-64 and aarch64). */
    static final int SIGKILL = 9;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle PRCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("prctl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GETPPID = LINKER.downcallHandle(LINKER.defaultLookup().find("getppid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private ParentDeath() {
    }

    /**
     * Asks the kernel to send a signal to this process when its parent dies.
     *
     * @param signal the signal number
     * @return whether the call succeeded
     */
    static boolean signalOnParentDeath(int signal) {
        try {
            return (int) PRCTL.invokeExact(PR_SET_PDEATHSIG, (long) signal) == 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@return the parent process id, 1 (or a subreaper's) once the parent has died} */
    static long parentPid() {
        try {
            return (int) GETPPID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}

package dev.permafrost.fleet.worker;

import dev.permafrost.fleet.Supervisor;
import dev.permafrost.fleet.Worker;
import dev.permafrost.fleet.WorkerContext;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of a worker JVM; the {@link Supervisor} launches it, users do not (public as
 * a main class must be; its package is not exported).
 *
 * <p>Arguments: {@code workerClass storePath index masterPid [workerArgs...]}. In order it
 * (1) asks the kernel for SIGKILL when the master dies ({@code PR_SET_PDEATHSIG}) and exits
 * at once if the master is already gone; (2) opens the store copy-on-write twice, timing both:
 * the first open in a fresh JVM pays once for linking the FFM downcalls and method handles
 * (about 100 to 300 ms here, whatever the store's size), the second is what attaching a store
 * costs; it keeps the second and reports {@code permafrost:attached <openNanos> <coldOpenNanos>}
 * on its protocol line; (3) watches standard input, the pipe from the master: end of file means
 * the master asked for a stop or died, so the worker's {@link WorkerContext#awaitStop} returns,
 * and if {@link Worker#run} has not returned within {@value #STOP_GRACE_MILLIS} ms the process
 * halts; (4) runs the worker.
 *
 * <p>Standard output is the protocol line to the master: {@code System.out} is pointed at
 * standard error before the worker runs, so a worker's prints cannot corrupt it.
 *
 * <p>Exit status: 0 when {@link Worker#run} returns, 1 when it throws, 2 for bad arguments,
 * 3 when the stop grace ran out, 4 when the master was gone at start.
 */
public final class WorkerMain {
    /** Prefix of the lines the worker launcher sends for the supervisor itself. */
    public static final String SYSTEM_PREFIX = "permafrost:";
    /** Milliseconds a worker may take to return from {@link Worker#run} after a stop request. */
    static final long STOP_GRACE_MILLIS = 5_000;

    private WorkerMain() {
    }

    /**
     * Runs one worker.
     *
     * @param args {@code workerClass storePath index masterPid [workerArgs...]}
     */
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: WorkerMain workerClass storePath index masterPid [args...]; got " + Arrays.toString(args));
            System.exit(2);
        }
        long masterPid = Long.parseLong(args[3]);
        ParentDeath.signalOnParentDeath(ParentDeath.SIGKILL);
        if (ParentDeath.parentPid() != masterPid) {   // it died before the request took effect
            System.err.println("permafrost worker: master " + masterPid + " is gone; exiting");
            System.exit(4);
        }
        PrintStream toMaster = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err);

        Worker worker;
        try {
            Class<?> type = Class.forName(args[0], true, ClassLoader.getSystemClassLoader());
            if (!Worker.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " does not implement " + Worker.class.getName());
            }
            worker = (Worker) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            System.err.println("permafrost worker: cannot create worker " + args[0] + ": " + e);
            System.exit(2);
            return;
        }
        int index = Integer.parseInt(args[2]);
        Thread main = Thread.currentThread();

        Path path = Path.of(args[1]);
        long start = System.nanoTime();
        Store.open(path, OpenMode.COPY_ON_WRITE).close();   // the JVM's first open: links FFM and method handles once
        long coldOpenNanos = System.nanoTime() - start;
        start = System.nanoTime();
        Store store = Store.open(path, OpenMode.COPY_ON_WRITE);
        long openNanos = System.nanoTime() - start;
        PipedWorkerContext context = new PipedWorkerContext(store, index, List.of(args).subList(4, args.length), masterPid,
                toMaster);
        Thread.ofPlatform().daemon().name("permafrost-master-watch").start(() -> watchMaster(context, main));
        context.send(SYSTEM_PREFIX + "attached " + openNanos + " " + coldOpenNanos);
        int status = 0;
        try {
            worker.run(context);
        } catch (InterruptedException e) {
            status = context.isStopping() ? 0 : 1;
        } catch (Throwable t) {
            System.err.println("permafrost worker " + index + " failed:");
            t.printStackTrace();
            status = 1;
        } finally {
            store.close();
        }
        System.exit(status);
    }

    /** Reads standard input to its end: the master closed it (a stop) or died. */
    private static void watchMaster(PipedWorkerContext context, Thread main) {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the master sends nothing; anything it did send is ignored
            }
        } catch (IOException e) {
            // a broken pipe is a gone master too
        }
        context.requestStop();
        try {
            main.join(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (main.isAlive()) {
            System.err.println("permafrost worker " + context.index() + ": did not stop within " + STOP_GRACE_MILLIS + " ms; halting");
            Runtime.getRuntime().halt(3);
        }
    }
}

package dev.permafrost.fleet;

import dev.permafrost.fleet.worker.WorkerMain;
import dev.permafrost.memory.MappingMemory;
import dev.permafrost.memory.PageMap;
import dev.permafrost.memory.ProcessMemory;
import dev.permafrost.memory.ProcessMemoryException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts and keeps alive a fleet of worker JVMs that each map one store copy-on-write and run
 * a user's {@link Worker}.
 *
 * <pre>{@code
 * try (Supervisor fleet = Supervisor.builder(storePath, Lookups.class).workers(4).start()) {
 *     fleet.workers().forEach(w -> w.await(h -> h.state() == WorkerState.RUNNING, Duration.ofSeconds(10)));
 *     FleetMemory memory = fleet.memory();       // the kernel's numbers, per worker and in total
 * }                                              // close(): graceful stop, then forced
 * }</pre>
 *
 * <p>Workers run the master's own class path (its {@code java.class.path}, plus the entries of
 * its {@code jdk.module.path} and the code sources of the worker class and of this library, all
 * on the worker's class path) with the master's {@code java} binary, the user's JVM options
 * (default {@value #DEFAULT_JVM_OPTIONS}) and native access enabled.
 *
 * <p>Life cycle of a worker: a worker that exits with a non-zero status or by a signal is
 * restarted after a back-off that doubles from the initial one up to the maximum, at most
 * {@code maxRestarts} times, then marked {@link WorkerState#FAILED}. {@link #stop} closes every
 * worker's standard input (the worker's {@link WorkerContext#awaitStop} returns), sends
 * {@code SIGTERM} to those still alive after half the stop timeout and {@code SIGKILL} after
 * all of it.
 *
 * <p>Workers die with the master, however it dies: each watches its standard input (end of
 * file when the master is gone) and asks the kernel for {@code SIGKILL} when its parent dies
 * ({@code PR_SET_PDEATHSIG}). The kernel ties that signal to the thread that spawned the worker,
 * so every launch happens on the supervisor's own thread, which lives until {@link #stop}.
 *
 * <p>Thread rules: thread-safe. Launches and restarts run on one supervisor thread; exits are
 * noticed on the JDK's process reaper threads.
 */
public final class Supervisor implements AutoCloseable {
    /** JVM options a worker gets unless the builder is given others: a small heap. */
    public static final String DEFAULT_JVM_OPTIONS = "-Xmx64m -XX:+UseSerialGC";
    /** Native access for the worker's FFM calls: the store's {@code mmap} and the worker's {@code prctl}. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private final Path storePath;
    private final String workerClass;
    private final List<String> baseCommand;
    private final List<String> workerArgs;
    private final int maxRestarts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration stopTimeout;
    private final List<WorkerHandle> workers;
    private final ScheduledExecutorService thread;
    private boolean stopping;

    private Supervisor(Builder builder) {
        this.storePath = builder.storePath;
        this.workerClass = builder.workerClass.getName();
        this.workerArgs = List.copyOf(builder.workerArgs);
        this.maxRestarts = builder.maxRestarts;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.stopTimeout = builder.stopTimeout;
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(builder.jvmOptions);
        command.add(NATIVE_ACCESS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath(builder.workerClass)));
        command.add(WorkerMain.class.getName());
        this.baseCommand = List.copyOf(command);
        List<WorkerHandle> handles = new ArrayList<>();
        for (int i = 0; i < builder.workers; i++) {
            handles.add(new WorkerHandle(i));
        }
        this.workers = List.copyOf(handles);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("permafrost-supervisor").unstarted(r));
    }

    /**
     * Starts describing a fleet.
     *
     * @param storePath   the store every worker opens copy-on-write (frozen, or closed and unfrozen)
     * @param workerClass the user's worker: public, with a public no-argument constructor
     * @return a builder
     */
    public static Builder builder(Path storePath, Class<? extends Worker> workerClass) {
        return new Builder(storePath, workerClass);
    }

    /** Describes a fleet; {@link #start} launches it. */
    public static final class Builder {
        private final Path storePath;
        private final Class<? extends Worker> workerClass;
        private int workers = 1;
        private List<String> jvmOptions = List.of(DEFAULT_JVM_OPTIONS.split(" "));
        private List<String> workerArgs = List.of();
        private int maxRestarts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration stopTimeout = Duration.ofSeconds(5);

        private Builder(Path storePath, Class<? extends Worker> workerClass) {
            this.storePath = storePath.toAbsolutePath();
            this.workerClass = Objects.requireNonNull(workerClass);
        }

        /**
         * Sets how many workers to run.
         *
         * @param count 1 or more
         * @return this builder
         */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a fleet needs at least 1 worker, not " + count);
            }
            this.workers = count;
            return this;
        }

        /**
         * Sets the workers' JVM options, replacing the default {@value Supervisor#DEFAULT_JVM_OPTIONS}.
         *
         * @param options e.g. {@code List.of("-Xmx128m")}
         * @return this builder
         */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * Sets the arguments every worker finds in {@link WorkerContext#args}.
         *
         * @param args the arguments
         * @return this builder
         */
        public Builder workerArgs(List<String> args) {
            this.workerArgs = List.copyOf(args);
            return this;
        }

        /**
         * Sets how many times one worker is restarted after crashes before it is left failed.
         *
         * @param restarts 0 or more
         * @return this builder
         */
        public Builder maxRestarts(int restarts) {
            if (restarts < 0) {
                throw new IllegalArgumentException("restart limit " + restarts + " is negative");
            }
            this.maxRestarts = restarts;
            return this;
        }

        /**
         * Sets the back-off before a restart: the initial wait, doubled after each restart of the
         * same worker, up to a maximum.
         *
         * @param initial the first wait
         * @param max     the longest wait
         * @return this builder
         */
        public Builder restartBackoff(Duration initial, Duration max) {
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("back-off " + initial + " to " + max + " is not a range of waits");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Sets how long {@link Supervisor#stop} waits for workers: half after closing their
         * input, the rest after {@code SIGTERM}; then {@code SIGKILL}.
         *
         * @param timeout the whole graceful period
         * @return this builder
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Launches the fleet. Workers attach in the background: wait for
         * {@link WorkerState#RUNNING} with {@link WorkerHandle#await}.
         *
         * @return the running supervisor
         * @throws UncheckedIOException if the store file does not exist
         */
        public Supervisor start() {
            if (!Files.isRegularFile(storePath)) {
                throw new UncheckedIOException(new IOException(storePath + ": no such store file"));
            }
            Supervisor supervisor = new Supervisor(this);
            for (WorkerHandle worker : supervisor.workers) {
                supervisor.thread.execute(() -> supervisor.launch(worker));
            }
            return supervisor;
        }
    }

    /** {@return the workers, by index} */
    public List<WorkerHandle> workers() {
        return workers;
    }

    /** {@return the store the workers map} */
    public Path storePath() {
        return storePath;
    }

    /**
     * Returns the command that launches a worker.
     *
     * @param index the worker's index
     * @return the full command line
     */
    public List<String> command(int index) {
        List<String> command = new ArrayList<>(baseCommand);
        command.add(workerClass);
        command.add(storePath.toString());
        command.add(Integer.toString(index));
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.addAll(workerArgs);
        return command;
    }

    /**
     * Reads every running worker's accounting of its store mapping from {@code /proc}: a
     * worker that has no process, or has not mapped the store yet, is left out.
     *
     * @return the fleet's memory for the store
     */
    public FleetMemory memory() {
        List<WorkerMemory> result = new ArrayList<>();
        for (WorkerHandle worker : workers) {
            if (worker.state() != WorkerState.RUNNING) {
                continue;
            }
            long pid = worker.pid();
            try {
                MappingMemory mapping = ProcessMemory.ofFile(pid, storePath);
                PageMap pages = ProcessMemory.pagesOfFile(pid, storePath); // the file's pages only, however often it is mapped
                result.add(new WorkerMemory(worker.index(), pid, mapping, pages));
            } catch (ProcessMemoryException e) {
                // it exited (or unmapped the store) between the state check and the read
            }
        }
        long storeBytes;
        try {
            storeBytes = Files.size(storePath);
        } catch (IOException e) {
            storeBytes = 0;   // removed while the workers hold it: they still map it
        }
        return new FleetMemory(storeBytes, result);
    }

    /**
     * Stops every worker: closes its input, waits half the stop timeout, sends {@code SIGTERM},
     * waits the other half, then {@code SIGKILL}s what is left and waits for it. No worker is
     * restarted afterwards. Idempotent.
     */
    public void stop() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        // No launch or restart after this point (launch() checks the flag). The supervisor thread
        // must outlive the workers: the kernel sends PR_SET_PDEATHSIG when it ends.
        List<Process> alive = new ArrayList<>();
        for (WorkerHandle worker : workers) {
            Process process = worker.currentProcess();
            if (process != null && process.isAlive()) {
                alive.add(process);
                try {
                    process.getOutputStream().close();
                } catch (IOException e) {
                    // already closed: the worker sees end of file either way
                }
            }
        }
        long half = stopTimeout.toNanos() / 2;
        waitFor(alive, half);
        alive.removeIf(p -> !p.isAlive());
        alive.forEach(p -> Signals.terminate(p.toHandle()));
        waitFor(alive, stopTimeout.toNanos() - half);
        alive.removeIf(p -> !p.isAlive());
        alive.forEach(p -> Signals.kill(p.toHandle()));
        waitFor(alive, TimeUnit.SECONDS.toNanos(10));
        thread.shutdownNow();
        for (WorkerHandle worker : workers) {
            WorkerState state = worker.state();
            if (state != WorkerState.FINISHED && state != WorkerState.FAILED) {
                worker.setState(WorkerState.STOPPED);
            }
        }
    }

    /** Stops the fleet, as {@link #stop}. */
    @Override
    public void close() {
        stop();
    }

    /** Runs on the supervisor thread only: the kernel's parent-death signal is tied to it. */
    private void launch(WorkerHandle worker) {
        Process process;
        synchronized (this) {   // a stop either sees this process or prevents it
            if (stopping) {
                return;
            }
            try {
                process = new ProcessBuilder(command(worker.index()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .redirectOutput(ProcessBuilder.Redirect.PIPE)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
            } catch (IOException e) {
                System.err.println("permafrost supervisor: cannot launch worker " + worker.index() + ": " + e.getMessage());
                worker.setState(WorkerState.FAILED);
                return;
            }
            worker.launched(process);
        }
        Thread.ofPlatform().daemon().name("permafrost-worker-" + worker.index() + "-" + process.pid())
                .start(() -> readMessages(worker, process));
        process.onExit().thenAccept(p -> exited(worker, p));
    }

    private void readMessages(WorkerHandle worker, Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String attached = WorkerMain.SYSTEM_PREFIX + "attached ";
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(attached)) {
                    String[] nanos = line.substring(attached.length()).strip().split(" ");
                    worker.attached(process, Long.parseLong(nanos[0]), Long.parseLong(nanos[1]));
                } else {
                    worker.message(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or broke the protocol: its exit is handled by exited()
        }
    }

    private void exited(WorkerHandle worker, Process process) {
        int status = process.exitValue();
        worker.exited(status);
        synchronized (this) {
            if (stopping || worker.currentProcess() != process) {
                return;
            }
            if (status == 0) {
                worker.setState(WorkerState.FINISHED);
                return;
            }
            if (worker.restarts() >= maxRestarts) {
                System.err.println("permafrost supervisor: worker " + worker.index() + " (pid " + process.pid()
                        + ") exited with " + Signals.describe(status) + " after " + worker.restarts()
                        + " restarts; the limit is " + maxRestarts + ": not restarting it");
                worker.setState(WorkerState.FAILED);
                return;
            }
            long backoffNanos = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << Math.min(worker.restarts(), 30));
            System.err.println("permafrost supervisor: worker " + worker.index() + " (pid " + process.pid()
                    + ") exited with " + Signals.describe(status) + "; restarting it in "
                    + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms");
            worker.restarting();
            thread.schedule(() -> launch(worker), backoffNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static void waitFor(List<Process> processes, long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (Process process : processes) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The master's class path for a worker: {@code java.class.path}, then the module path's
     * entries (a worker runs everything on its class path, so the master's module options are
     * not needed), then the code sources of the worker class and of this library, for a master
     * whose modules were patched in (test classes under surefire).
     */
    static List<String> classPath(Class<?> workerClass) {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(entry);
                }
            }
        }
        for (Class<?> type : new Class<?>[] {workerClass, WorkerMain.class}) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                try {
                    entries.add(Path.of(source.getLocation().toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file location: the class path above has to do
                }
            }
        }
        return List.copyOf(entries);
    }
}

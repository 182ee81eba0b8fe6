package dev.permafrost.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One worker of a {@link Supervisor}'s fleet: a slot with a fixed index whose process is
 * replaced when it crashes.
 *
 * <p>Thread rules: every method is thread-safe; state changes come from the supervisor's
 * threads and wake {@link #await} callers.
 */
public final class WorkerHandle {
    private final int index;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<Integer> exitStatuses = new ArrayList<>();
    private Process process;
    private WorkerState state = WorkerState.STARTING;
    private int restarts;
    private long openNanos = -1;
    private long coldOpenNanos = -1;

    WorkerHandle(int index) {
        this.index = index;
    }

    /** {@return the worker's index, 0 to N-1} */
    public int index() {
        return index;
    }

    /** {@return the current process's id, or -1 before the first launch} */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** {@return the current process, if one was launched} */
    public synchronized Optional<ProcessHandle> process() {
        return process == null ? Optional.empty() : Optional.of(process.toHandle());
    }

    /** {@return the worker's state} */
    public synchronized WorkerState state() {
        return state;
    }

    /** {@return how many times the supervisor restarted this worker after a crash} */
    public synchronized int restarts() {
        return restarts;
    }

    /** {@return the exit statuses of this slot's processes so far (128 + n for death by signal n)} */
    public synchronized List<Integer> exitStatuses() {
        return List.copyOf(exitStatuses);
    }

    /** {@return nanoseconds the current process took to open the store, or -1 before it attached} */
    public synchronized long openNanos() {
        return openNanos;
    }

    /**
     * Takes the next line the worker sent with {@link WorkerContext#send}, waiting for one.
     * Lines from earlier processes of this slot stay in order before a restarted one's.
     *
     * @param timeout how long to wait
     * @return the line, or empty if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<String> nextMessage(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Waits until a condition on this handle holds (checked at every state change).
     *
     * @param condition e.g. {@code w -> w.state() == WorkerState.RUNNING && w.restarts() == 1}
     * @param timeout   how long to wait
     * @return whether it held in time
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean await(Predicate<WorkerHandle> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** {@return nanoseconds the current process's first open of a store took (JVM linking included), or -1} */
    public synchronized long coldOpenNanos() {
        return coldOpenNanos;
    }

    synchronized Process currentProcess() {
        return process;
    }

    synchronized void launched(Process launched) {
        process = launched;
        openNanos = -1;
        coldOpenNanos = -1;
        state = WorkerState.STARTING;
        notifyAll();
    }

    synchronized void attached(Process from, long nanos, long coldNanos) {
        if (from == process && state == WorkerState.STARTING) {
            openNanos = nanos;
            coldOpenNanos = coldNanos;
            state = WorkerState.RUNNING;
            notifyAll();
        }
    }

    synchronized void exited(int status) {
        exitStatuses.add(status);
        notifyAll();
    }

    synchronized void restarting() {
        restarts++;
        state = WorkerState.RESTARTING;
        notifyAll();
    }

    synchronized void setState(WorkerState newState) {
        state = newState;
        notifyAll();
    }

    void message(String line) {
        messages.add(line);
    }

    @Override
    public synchronized String toString() {
        return "Worker[" + index + ", pid " + pid() + ", " + state + ", restarts " + restarts + "]";
    }
}

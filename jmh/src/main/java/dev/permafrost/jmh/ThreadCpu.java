package dev.permafrost.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How much of each iteration a benchmark thread spent on a CPU: JMH reports its CPU time and
 * wall time as two secondary results ({@code threadCpuNanos}, {@code threadWallNanos}, summed
 * over the threads), and {@link Report} multiplies each iteration's score by their ratio. On
 * a shared machine a thread that waits for a CPU is charged that wait in wall-clock time per
 * operation; CPU time per operation leaves it out.
 *
 * <p>The interval runs from the iteration's setup to its tear-down, so it also holds JMH's
 * short warm-up and warm-down loops around the measured part; they run the same benchmark
 * code, so the share is the same. Add a parameter of this type to a benchmark method to
 * collect it. Thread rules: one instance per benchmark thread ({@code Scope.Thread}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time this thread used in the iteration, nanoseconds (a JMH secondary result). */
    public long threadCpuNanos;
    /** Wall-clock time of the same interval, nanoseconds (a JMH secondary result). */
    public long threadWallNanos;

    private long cpuStartNanos;
    private long wallStartNanos;

    /** Creates the counters; JMH makes one per benchmark thread. */
    public ThreadCpu() {
    }

    /** Starts both clocks; runs on the benchmark thread before each iteration. */
    @Setup(Level.Iteration)
    public void start() {
        threadCpuNanos = 0;
        threadWallNanos = 0;
        wallStartNanos = System.nanoTime();
        cpuStartNanos = THREADS.getCurrentThreadCpuTime();
    }

    /** Stops both clocks; runs on the benchmark thread after each iteration. */
    @TearDown(Level.Iteration)
    public void stop() {
        threadCpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStartNanos;
        threadWallNanos = System.nanoTime() - wallStartNanos;
    }
}

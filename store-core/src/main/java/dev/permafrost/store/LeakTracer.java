package dev.permafrost.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leak tracer, like Netty's {@code ResourceLeakDetector}: on with
 * {@code -Dpermafrost.leakTracer=true}, it records a stack trace for every reference this
 * process takes to a mortal object (allocation, retain, a successful tryRetain) and forgets the
 * object when it is freed; {@link Store#leakReport()} and {@link Store#close()} list what is left.
 *
 * <p>Off (the default) it costs nothing: {@link #ENABLED} is a {@code static final} the JIT
 * folds, so every {@code if (LeakTracer.ENABLED)} in the store's methods compiles to nothing,
 * and no tracer object exists. On, each traced reference costs a stack walk: for finding
 * leaks in tests and debugging, not for production.
 *
 * <p>Thread rules: thread-safe; an object's traces are guarded by its entry's lock.
 */
final class LeakTracer {
    /** Whether tracing is on in this JVM: the system property {@code permafrost.leakTracer}, read once. */
    static final boolean ENABLED = Boolean.getBoolean("permafrost.leakTracer");

    private final Map<Long, Traced> live = new ConcurrentHashMap<>();

    /** The traces of one live object. */
    static final class Traced {
        private final List<Leak.Trace> traces = new ArrayList<>();
        private long dropped;

        synchronized void add(Leak.Trace trace) {
            if (traces.size() == Leak.MAX_TRACES) { // keep the allocation, drop the oldest retain
                traces.remove(1);
                dropped++;
            }
            traces.add(trace);
        }

        synchronized List<Leak.Trace> traces() {
            return List.copyOf(traces);
        }

        synchronized long dropped() {
            return dropped;
        }
    }

    /** A new object: its first reference, taken here. */
    void allocated(long objectOffset) {
        Traced traced = new Traced();
        traced.add(trace("allocate"));
        live.put(objectOffset, traced);
    }

    /** Another reference to a mortal object. An object allocated before tracing (or by another process) starts being traced here. */
    void retained(long objectOffset, String operation) {
        live.computeIfAbsent(objectOffset, offset -> new Traced()).add(trace(operation));
    }

    /** The object was freed: nothing of it is held any more. */
    void freed(long objectOffset) {
        live.remove(objectOffset);
    }

    /** Every object freed at once: a freeze made them immortal, so none can leak. */
    void clear() {
        live.clear();
    }

    /** {@return the traced objects, by offset: a copy} */
    Map<Long, Traced> snapshot() {
        return Map.copyOf(live);
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Where the store's classes come from: frames of classes from there are the store's own. */
    private static final Object STORE_CODE = codeSource(Store.class);

    /** The caller's stack, from the first frame outside the store's own classes (its jar or class folder). */
    private static Leak.Trace trace(String operation) {
        List<StackTraceElement> frames = WALKER.walk(stack -> stack
                .dropWhile(frame -> java.util.Objects.equals(codeSource(frame.getDeclaringClass()), STORE_CODE))
                .map(StackWalker.StackFrame::toStackTraceElement).toList());
        return new Leak.Trace(operation, Thread.currentThread().getName(), frames);
    }

    private static Object codeSource(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}

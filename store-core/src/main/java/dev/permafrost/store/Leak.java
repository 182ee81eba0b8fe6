package dev.permafrost.store;

import java.util.List;

/**
 * A mortal object the program still holds a reference to, found by the leak tracer
 * ({@link Store#leakReport()}, on with {@code -Dpermafrost.leakTracer=true}): its count is higher
 * than the references the store itself holds to it (from roots and from the reference fields
 * of live objects), so some code retained or allocated it and has not released it.
 *
 * @param objectOffset   the object's offset, bytes from the start of the file
 * @param typeId         its type id
 * @param typeName       its type's name
 * @param refCount       its reference count when the report was made
 * @param heldOutside    references not held by the store: {@code refCount} minus the
 *                       references from roots and live objects
 * @param takenAt        where references were taken, oldest first: its allocation, then each
 *                       retain (at most {@link #MAX_TRACES}, the allocation and the latest retains);
 *                       the leaked references are among these
 * @param tracesDropped  retains traced and left out of {@code takenAt}, to keep it short
 */
public record Leak(long objectOffset, int typeId, String typeName, long refCount, long heldOutside,
                   List<Trace> takenAt, long tracesDropped) {
    /** The most traces kept per object: the allocation and the latest retains. */
    public static final int MAX_TRACES = 16;

    /**
     * Where a reference was taken.
     *
     * @param operation {@code "allocate"}, {@code "retain"} or {@code "tryRetain"}
     * @param threadName the thread that took it
     * @param stack     the caller's stack, innermost frame first, the store's own frames left out
     */
    public record Trace(String operation, String threadName, List<StackTraceElement> stack) {
        /** Copies the stack. */
        public Trace {
            stack = List.copyOf(stack);
        }
    }

    /** Copies the traces. */
    public Leak {
        takenAt = List.copyOf(takenAt);
    }

    /** {@return the report of this object, one stack per reference taken, as a log line shows it} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("object at 0x").append(Long.toHexString(objectOffset)).append(" of type '")
                .append(typeName).append("' (type id ").append(typeId).append("), reference count ").append(refCount)
                .append(", ").append(heldOutside).append(" held outside the store; references taken:");
        for (Trace trace : takenAt) {
            text.append("\n  ").append(trace.operation()).append(" on thread '").append(trace.threadName()).append('\'');
            for (StackTraceElement frame : trace.stack()) {
                text.append("\n    at ").append(frame);
            }
        }
        if (tracesDropped > 0) {
            text.append("\n  (").append(tracesDropped).append(" more retains traced, not kept)");
        }
        return text.toString();
    }
}

package dev.permafrost.cache;

import dev.permafrost.cache.policy.PolicyEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One entry of a worker's overlay: a value, held as a mortal object in the private memory
 * (above the frozen boundary) of the version that was current when it was put, or a tombstone
 * (an invalidated frozen key, hiding the frozen base's entry from this worker).
 *
 * <p>References, counted here on the heap, not in the object's header: one for the overlay's
 * map, held from construction until the entry is unlinked from the map (replaced, invalidated,
 * evicted, or the cache closed), and one per open {@link CacheEntry} or lookup in progress. The
 * last release frees the store object and drops the entry's handle on its version, which may
 * then close. A lookup takes its reference with {@link #tryRetain}, which fails once the count
 * is 0: a freed entry is never resurrected. The count is on this Java object rather than the
 * store object's header because a freed object's offset may be reused by the next allocation,
 * and a {@code tryRetain} on the header would then succeed on someone else's object; this
 * object is never reused.
 *
 * <p>A tombstone has no store object and no references: retaining and releasing it is never
 * needed, since a lookup that finds it reads nothing.
 */
final class OverlayEntry {
    private static final VarHandle REFERENCES;

    static {
        try {
            REFERENCES = MethodHandles.lookup().findVarHandle(OverlayEntry.class, "references", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The version the object lives in, or {@code null} for a tombstone. */
    final Snapshot snapshot;
    final long objectOffset;
    /** The object's payload length, for the overlay's byte count; 0 for a tombstone. */
    final long valueBytes;
    /** The weight given to the policy, in the bound's units: 1 under maximumSize; the weigher's under maximumWeight; 1 for a tombstone. */
    final long weight;
    private final int stripe;
    /**
     * The policy's state of this entry, or {@code null} if the overlay is unbounded. Written
     * under the overlay's lock before the entry is published in the map (whose put is a release
     * and whose get an acquire), and never again: lookups read it plainly.
     */
    PolicyEntry<OverlayKey> policyEntry;
    /** References: 1 for the map until unlinked, 1 per open handle; 0 once freed, and then for ever. */
    @SuppressWarnings("unused") // through REFERENCES
    private volatile int references = 1;

    private OverlayEntry(Snapshot snapshot, int stripe, long objectOffset, long valueBytes, long weight) {
        this.snapshot = snapshot;
        this.stripe = stripe;
        this.objectOffset = objectOffset;
        this.valueBytes = valueBytes;
        this.weight = weight;
    }

    /**
     * An entry holding a value, with the map's reference.
     *
     * @param snapshot     the version the object lives in; the caller's handle on it, counted on {@code stripe}, passes to the entry
     * @param stripe       the stripe that handle is counted on
     * @param objectOffset the object, with a count of 1, which passes to the entry
     * @param valueBytes   its payload length
     * @param weight       its weight, at least 0
     */
    static OverlayEntry value(Snapshot snapshot, int stripe, long objectOffset, long valueBytes, long weight) {
        return new OverlayEntry(snapshot, stripe, objectOffset, valueBytes, weight);
    }

    /** {@return a new tombstone, of weight 1} */
    static OverlayEntry tombstone() {
        return new OverlayEntry(null, 0, 0, 0, 1);
    }

    boolean isTombstone() {
        return snapshot == null;
    }

    /** {@return whether a reference was taken: false once the entry was freed (unlinked and its last handle closed)} */
    boolean tryRetain() {
        int now;
        do {
            now = (int) REFERENCES.getVolatile(this);
            if (now == 0) {
                return false;
            }
        } while (!REFERENCES.compareAndSet(this, now, now + 1));
        return true;
    }

    /** Drops a reference; the last frees the object and releases the version it lives in. Not for tombstones. */
    void release() {
        if ((int) REFERENCES.getAndAdd(this, -1) == 1) {
            try {
                snapshot.store.release(objectOffset);
            } finally {
                snapshot.release(stripe);
            }
        }
    }

    /** {@return the references held now: for tests} */
    int references() {
        return (int) REFERENCES.getVolatile(this);
    }

    @Override
    public String toString() {
        return isTombstone() ? "OverlayEntry[tombstone]" : "OverlayEntry[" + snapshot + ", object 0x"
                + Long.toHexString(objectOffset) + ", " + valueBytes + " bytes, weight " + weight + ", " + references() + " references]";
    }
}

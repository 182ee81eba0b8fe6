package dev.permafrost.refcount;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The reference-count protocol, all of it, in one place.
 *
 * <p>The count is the first word of every object header ({@link ObjectHeaderDescriptor}):
 * {@code > 0} a live mortal object, {@code 0} free, {@code < 0} immortal.
 *
 * <ul>
 *   <li>{@link #retain}: a plain read; negative: return at once, with no write, no atomic
 *       and no failed CAS (a failed CAS still takes the cache line exclusive and copies a
 *       copy-on-write page); zero: use after free, throw; otherwise {@code getAndAdd(+1)}.</li>
 *   <li>{@link #release}: the same immortal test; then {@code getAndAdd(-1)}; an old value of
 *       1 means the caller dropped the last reference and must free the object; an old value
 *       of 0 is a double release, undone and thrown.</li>
 *   <li>An atomic that finds a negative old value raced a freeze (the plain read saw the object
 *       mortal): it is undone and the call returns as on an immortal object. The immortal value
 *       sits mid-range, so the transient step can never reach zero.</li>
 *   <li>{@link #tryRetain}: retain unless the count is already zero, by CAS; for lookups
 *       that hold no reference yet.</li>
 * </ul>
 *
 * Memory ordering: {@code getAndAdd} and {@code compareAndExchange} are volatile (full
 * fences), so everything a thread wrote to an object before releasing it happens-before the
 * free by whichever thread drops the last reference. Immortal objects are never written, so
 * reading them needs no ordering beyond the freeze that made them immortal, which happens
 * before any other process maps the file.
 *
 * <p>Hot path: {@link #retain} and {@link #release} are a few instructions on the immortal
 * path; all checks of arguments happen where offsets come from (allocation, lookup),
 * and {@link MemorySegment} checks bounds.
 */
public final class RefCounts {
    /** Count word of an object at a given offset: (MemorySegment, long offset). */
    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle META = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment heap;
    private final boolean writable;
    private final Path file;

    /**
     * Applies the protocol to the objects of one mapping.
     *
     * @param heap     the store's memory, from offset 0 of the file
     * @param writable whether counts of mortal objects may be changed: false exactly when
     *                 {@code heap} is read-only (a read-only store), whose {@code getAndAdd}
     *                 refusal is the hot path's read-only check
     * @param file     the store file, for messages
     * @throws IllegalArgumentException if {@code writable} disagrees with {@code heap.isReadOnly()}
     */
    public RefCounts(MemorySegment heap, boolean writable, Path file) {
        if (writable == heap.isReadOnly()) {
            throw new IllegalArgumentException("writable is " + writable + " but the segment of " + file
                    + (heap.isReadOnly() ? " is" : " is not") + " read-only");
        }
        this.heap = heap;
        this.writable = writable;
        this.file = file;
    }

    /**
     * Takes a reference to a live object. The caller passes the store's memory from its own
     * field, which saves the dependent load of this object's copy (after the fence of a
     * {@code getAndAdd}, every such load is paid again).
     *
     * @param heap         the same segment this was made with
     * @param objectOffset the object's offset, bytes from the start of the file
     * @throws ReferenceCountException if the object is free (use after free)
     * @throws StoreStateException     if the object is mortal and the store is read-only
     */
    public void retain(MemorySegment heap, long objectOffset) {
        long count = (long) COUNT.get(heap, objectOffset);
        if (count < 0) {
            return;
        }
        retainMortal(heap, objectOffset, count);
    }

    /**
     * The rest of {@link #retain(MemorySegment, long)} once the plain read found {@code count >= 0}:
     * kept out of line so the immortal path that callers inline stays a read and a test. A
     * read-only store's segment is read-only ({@code StoreFile}), so its {@code getAndAdd} throws
     * {@link IllegalArgumentException} before writing: that is the read-only check, with no
     * test of its own on the hot path.
     */
    private void retainMortal(MemorySegment heap, long objectOffset, long count) {
        if (count == 0 || isNotAnObject(objectOffset)) {
            throw retainFailed(objectOffset, count);
        }
        long old;
        try {
            old = (long) COUNT.getAndAdd(heap, objectOffset, 1L);
        } catch (IllegalArgumentException e) {
            throw heap.isReadOnly() ? readOnly(objectOffset, count) : e;
        }
        if (old <= 0) {
            COUNT.getAndAdd(heap, objectOffset, -1L); // undo: leave the count as it was found
            if (old < 0) { // a freeze made it immortal between the read and the increment
                return;
            }
            throw retainFailed(objectOffset, old);
        }
    }

    /**
     * Drops a reference, with the store's memory passed by the caller
     * (see {@link #retain(MemorySegment, long)}).
     *
     * @param heap         the same segment this was made with
     * @param objectOffset the object's offset, bytes from the start of the file
     * @return {@code true} if this call dropped the last reference: the caller must free the object
     * @throws ReferenceCountException if the object is already free (double release)
     * @throws StoreStateException     if the object is mortal and the store is read-only
     */
    public boolean release(MemorySegment heap, long objectOffset) {
        long count = (long) COUNT.get(heap, objectOffset);
        if (count < 0) {
            return false;
        }
        return releaseMortal(heap, objectOffset, count);
    }

    /**
     * The rest of {@link #release(MemorySegment, long)} once the plain read found
     * {@code count >= 0}, out of line like {@link #retainMortal}.
     */
    private boolean releaseMortal(MemorySegment heap, long objectOffset, long count) {
        if (count == 0 || isNotAnObject(objectOffset)) {
            throw releaseFailed(objectOffset, count);
        }
        long old;
        try {
            old = (long) COUNT.getAndAdd(heap, objectOffset, -1L);
        } catch (IllegalArgumentException e) {
            throw heap.isReadOnly() ? readOnly(objectOffset, count) : e;
        }
        if (old == 1) {
            return true;
        }
        if (old <= 0) {
            COUNT.getAndAdd(heap, objectOffset, 1L); // undo: leave the count as it was found
            if (old < 0) { // a freeze made it immortal between the read and the decrement
                return false;
            }
            throw releaseFailed(objectOffset, old);
        }
        return false;
    }

    /**
     * Takes a reference unless the object is already free, with the store's memory passed by the caller
     * (see {@link #retain(MemorySegment, long)}).
     *
     * @param heap         the same segment this was made with
     * @param objectOffset the object's offset, bytes from the start of the file
     * @return {@code true} if a reference was taken (always, for an immortal object);
     *         {@code false} if the count was zero
     * @throws StoreStateException if the object is mortal and the store is read-only
     */
    public boolean tryRetain(MemorySegment heap, long objectOffset) {
        long count = (long) COUNT.get(heap, objectOffset);
        while (count > 0) {
            if (!writable) {
                throw readOnly(objectOffset, count);
            }
            if (isNotAnObject(objectOffset)) {
                throw notAnObject(objectOffset, count);
            }
            long witness = (long) COUNT.compareAndExchange(heap, objectOffset, count, count + 1);
            if (witness == count) {
                return true;
            }
            count = witness;
        }
        return count < 0;
    }

    /**
     * Returns the count word, read with acquire semantics.
     *
     * @param objectOffset the object's offset, bytes from the start of the file
     * @return the count word, read with acquire semantics
     */
    public long count(long objectOffset) {
        return (long) COUNT.getAcquire(heap, objectOffset);
    }

    /**
     * Marks a mortal object immortal. Only freeze calls this, at a quiet point.
     *
     * @param objectOffset the object's offset, bytes from the start of the file
     */
    public void makeImmortal(long objectOffset) {
        COUNT.setRelease(heap, objectOffset, ObjectHeaderDescriptor.IMMORTAL_COUNT);
    }

    /**
     * Whether the offset cannot head an object: below the heap (0 is the null reference; the
     * superblock and commit slots start with positive magic words that an increment would
     * destroy) or not 16-aligned (8 bytes into a header is the meta word). Tested only on the
     * mortal path, after the plain read, where an atomic follows anyway.
     */
    private static boolean isNotAnObject(long objectOffset) {
        return objectOffset < StoreFormat.HEAP_START_OFFSET || (objectOffset & (StoreFormat.OBJECT_ALIGNMENT - 1)) != 0;
    }

    private ReferenceCountException notAnObject(long objectOffset, long count) {
        return new ReferenceCountException(file, objectOffset, TypeIds.INVALID, count,
                "not an object: offset 0x" + Long.toHexString(objectOffset) + " is below the heap start 0x"
                        + Long.toHexString(StoreFormat.HEAP_START_OFFSET) + " or not " + StoreFormat.OBJECT_ALIGNMENT
                        + "-aligned (a null or damaged reference); nothing was written");
    }

    private RuntimeException retainFailed(long objectOffset, long count) {
        if (!writable && count > 0) {
            return readOnly(objectOffset, count);
        }
        if (isNotAnObject(objectOffset)) {
            return notAnObject(objectOffset, count);
        }
        return new ReferenceCountException(file, objectOffset, typeId(objectOffset), 0,
                "retain of a free object (use after free)");
    }

    private RuntimeException releaseFailed(long objectOffset, long count) {
        if (!writable && count > 0) {
            return readOnly(objectOffset, count);
        }
        if (count != 0 && isNotAnObject(objectOffset)) {
            return notAnObject(objectOffset, count);
        }
        return new ReferenceCountException(file, objectOffset, typeId(objectOffset), count,
                "release of a free object (double release)");
    }

    private StoreStateException readOnly(long objectOffset, long count) {
        return new StoreStateException(file, objectOffset, "cannot change the reference count (" + count
                + ") of a mortal object in a store opened read-only; open it copy-on-write");
    }

    private int typeId(long objectOffset) {
        return ObjectHeaderDescriptor.typeId((long) META.get(heap, objectOffset + ObjectHeaderDescriptor.META_OFFSET));
    }
}

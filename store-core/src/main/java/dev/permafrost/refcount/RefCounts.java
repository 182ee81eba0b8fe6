package dev.permafrost.refcount;

import dev.permafrost.alloc.BlockStarts;
import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreClosedException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.file.RawMemory;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * The reference-count protocol, all of it, in one place.
 *
 * <p>The count is the first word of every object header ({@link ObjectHeaderDescriptor}):
 * {@code > 0} a live mortal object, {@code 0} free, {@code < 0} immortal.
 *
 * <ul>
 *   <li>{@link #retain}: a plain read; negative (immortal): return at once, with no write, no atomic
 *       and no failed CAS (a failed CAS still takes the cache line exclusive and copies a
 *       copy-on-write page); zero: use after free, throw; otherwise, if a live block of the allocator heads the offset
 *       ({@link BlockStarts}), {@code getAndAdd(+1)}.</li>
 *   <li>{@link #release}: the same immortal test; then {@code getAndAdd(-1)}; an old value of
 *       1 means the caller dropped the last reference and must free the object; an old value
 *       of 0 is a double release, undone and thrown.</li>
 *   <li>An atomic that finds a negative old value raced a freeze (the plain read saw the object
 *       mortal): it is undone and the call returns as on an immortal object. The immortal value
 *       sits mid-range, so the transient step can never reach zero.</li>
 *   <li>{@link #makeImmortal} (freeze): compare-and-set from the live count to the immortal
 *       value, so a last release that wins the race leaves a free block, never a dead object
 *       made immortal.</li>
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
 * <h2>How the hot path reaches the count word</h2>
 * {@link #retain}, {@link #release} and {@link #tryRetain} address the count word through one
 * constant segment that spans the address space ({@link RawMemory#EVERYWHERE}), at the mapping's
 * address plus the object's offset, after one explicit bounds check against the mapping. The
 * JIT folds every check of a constant segment, so a retain of an immortal object costs about
 * what a plain read of the word through the store's own segment costs; through the store's
 * segment (a shared {@code Arena}'s) each access would load the segment's address, size and
 * session and test the session's liveness, again after every fence of the mortal path
 * ({@code docs/benchmarks.md} measures both).
 *
 * <p>What the arena's liveness test gave, closing safely while other threads still use the
 * store, comes from the mapping's lifetime instead ({@code StoreFile}): closing the store
 * does not unmap its address range but maps anonymous zero pages over it, so a thread that
 * raced the close reads a count of 0 (or writes a private zero page), takes the slow path and
 * gets a {@link StoreClosedException}; the range itself is unmapped only when the object
 * passed as {@code keepAlive} is unreachable, and every hot-path method keeps the
 * {@code RefCounts}, which holds it, reachable until its last access
 * ({@link Reference#reachabilityFence}). A read-only
 * store's mapping is read-only: its mortal path throws before the atomic.
 *
 * <p>Hot path: {@link #retain} and {@link #release} are a bounds check, a read and a sign test
 * on the immortal path; all other checks happen where offsets come from (allocation, lookup) or on the mortal path,
 * where an atomic follows anyway.
 *
 * <h2>Offsets that head no object</h2>
 * A word inside a live object can look like a count. The mortal path refuses a positive word
 * unless a live block of this process's allocator starts there ({@link BlockStarts}, one plain
 * read before the atomic), so a {@code release(x + 16)} never decrements a payload word nor
 * frees a block that is not one. The immortal path is unchanged (a sign test, no index): a
 * negative word taken for immortal writes nothing. The checks off the hot path
 * ({@link #checkedCount}, {@link #tryRetain}) take a negative word as immortal only within
 * {@link #IMMORTAL_TOLERANCE} of the immortal value, and refuse any other.
 * {@code docs/design-decisions.md} ("Offsets that head no object") says why.
 */
public final class RefCounts {
    /** Count word at an address (the hot path, on {@link RawMemory#EVERYWHERE}) or an offset (on {@code heap}): (MemorySegment, long). */
    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle META = ValueLayout.JAVA_LONG.varHandle();

    /**
     * How far a count word may stray from {@link ObjectHeaderDescriptor#IMMORTAL_COUNT} and still
     * be immortal: each retain or release that raced a freeze moves it by one until it undoes its
     * step, so it is never more than the number of threads away; 2<sup>40</sup>, as
     * {@code heap-dump verify} allows. A negative word farther away heads no object.
     */
    public static final long IMMORTAL_TOLERANCE = 1L << 40;
    private static final long IMMORTAL_LOW = ObjectHeaderDescriptor.IMMORTAL_COUNT - IMMORTAL_TOLERANCE;
    private static final long IMMORTAL_SPAN = 2 * IMMORTAL_TOLERANCE + 1;

    /** Address of the mapping's first byte: offset 0 of the file. */
    private final long base;
    /** Offsets below this (unsigned) hold a whole count word inside the mapping. */
    private final long countLimit;
    /**
     * The lowest offset whose count the mortal path may change: the heap's start, or
     * {@link Long#MAX_VALUE} in a read-only store (one test for both refusals).
     */
    private final long mortalFloor;
    private final MemorySegment heap;
    private final Path file;
    /** Where live mortal blocks start; {@code null} in a read-only store (no count changes there). */
    private final BlockStarts starts;
    /** Names a type id, for messages. */
    private final IntFunction<String> typeNames;
    /** Keeps the mapping's address range reserved while this object is reachable. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object keepAlive;

    /**
     * Applies the protocol to the objects of one mapping.
     *
     * @param heap      the store's memory, from offset 0 of the file: a native segment over a
     *                  mapping; read-only exactly when the store is (then mortal counts cannot
     *                  change)
     * @param file      the store file, for messages
     * @param keepAlive the object whose reachability keeps the mapping's address range mapped
     *                  (after the heap's arena is closed, as zero pages): the hot path reads
     *                  the count through the raw address, so the range must not be unmapped
     *                  while this object can still be reached
     * @param starts    where the live blocks of this process's allocator start, over the whole
     *                  heap; {@code null} exactly when {@code heap} is read-only
     * @param typeNames names a type id, for messages
     * @throws IllegalArgumentException if {@code heap} is not a native segment
     */
    public RefCounts(MemorySegment heap, Path file, Object keepAlive, BlockStarts starts, IntFunction<String> typeNames) {
        if (!heap.isNative() || heap.byteSize() < Long.BYTES) {
            throw new IllegalArgumentException("the memory of " + file + " is not a native segment of at least one word: " + heap);
        }
        if ((starts == null) != heap.isReadOnly()) {
            throw new IllegalArgumentException("the block starts of " + file + " must be given exactly when it is writable");
        }
        this.starts = starts;
        this.typeNames = typeNames;
        this.base = heap.address();
        this.countLimit = heap.byteSize() - Long.BYTES + 1;
        this.mortalFloor = heap.isReadOnly() ? Long.MAX_VALUE : StoreFormat.HEAP_START_OFFSET;
        this.heap = heap;
        this.file = file;
        this.keepAlive = keepAlive;
    }

    /** {@return the address of offset 0, for the caller's own final field (the first argument of the hot path)} */
    public long base() {
        return base;
    }

    /** {@return the bound of offsets the hot path accepts, for the caller's own final field (its second argument)} */
    public long countLimit() {
        return countLimit;
    }

    /*
     * The hot path: static, given base and countLimit from the caller's own final fields, so a
     * call loads them one reference closer than through this object (after each fence of the
     * mortal path, every such load is paid again); this object is touched only on the mortal
     * path and for errors, and kept reachable (with the mapping) until the last access.
     */

    /**
     * Takes a reference to a live object.
     *
     * @param base         {@code counts.base()}
     * @param countLimit   {@code counts.countLimit()}
     * @param objectOffset the object's offset, bytes from the start of the file
     * @param counts       the protocol's state for the store
     * @throws ReferenceCountException if the object is free (use after free), or the offset
     *                                 cannot head an object
     * @throws StoreStateException     if the object is mortal and the store is read-only
     * @throws StoreClosedException    if the store was closed
     */
    public static void retain(long base, long countLimit, long objectOffset, RefCounts counts) {
        try {
            long count = read(base, countLimit, objectOffset, counts);
            if (count < 0) {
                return; // immortal (or a negative word that heads no object): nothing is written
            }
            if (count == 0 || counts.refusesChange(objectOffset)) {
                throw counts.refused(objectOffset, count, "retain of a free object (use after free)");
            }
            long old = (long) COUNT.getAndAdd(RawMemory.EVERYWHERE, base + objectOffset, 1L);
            if (old <= 0) {
                counts.raced(objectOffset, old, +1, "retain of a free object (use after free)");
            }
        } finally {
            Reference.reachabilityFence(counts);
        }
    }

    /**
     * Drops a reference.
     *
     * @param base         {@code counts.base()}
     * @param countLimit   {@code counts.countLimit()}
     * @param objectOffset the object's offset, bytes from the start of the file
     * @param counts       the protocol's state for the store
     * @return {@code true} if this call dropped the last reference: the caller must free the object
     * @throws ReferenceCountException if the object is already free (double release), or the
     *                                 offset cannot head an object
     * @throws StoreStateException     if the object is mortal and the store is read-only
     * @throws StoreClosedException    if the store was closed
     */
    public static boolean release(long base, long countLimit, long objectOffset, RefCounts counts) {
        try {
            long count = read(base, countLimit, objectOffset, counts);
            if (count < 0) {
                return false; // immortal (or a negative word that heads no object): nothing is written
            }
            if (count == 0 || counts.refusesChange(objectOffset)) {
                throw counts.refused(objectOffset, count, "release of a free object (double release)");
            }
            long old = (long) COUNT.getAndAdd(RawMemory.EVERYWHERE, base + objectOffset, -1L);
            if (old == 1) {
                return true;
            }
            if (old <= 0) {
                counts.raced(objectOffset, old, -1, "release of a free object (double release)");
            }
            return false;
        } finally {
            Reference.reachabilityFence(counts);
        }
    }

    /**
     * Takes a reference unless the object is already free.
     *
     * @param base         {@code counts.base()}
     * @param countLimit   {@code counts.countLimit()}
     * @param objectOffset the object's offset, bytes from the start of the file
     * @param counts       the protocol's state for the store
     * @return {@code true} if a reference was taken (always, for an immortal object);
     *         {@code false} if the count was zero
     * @throws ReferenceCountException if the offset cannot head an object (a word that no
     *                                 block starts at, or negative but not immortal)
     * @throws StoreStateException     if the object is mortal and the store is read-only
     * @throws StoreClosedException    if the store was closed
     */
    public static boolean tryRetain(long base, long countLimit, long objectOffset, RefCounts counts) {
        try {
            long count = read(base, countLimit, objectOffset, counts);
            while (count > 0) {
                if (counts.refusesChange(objectOffset)) {
                    long now = (long) COUNT.getVolatile(RawMemory.EVERYWHERE, base + objectOffset);
                    if (now != count) { // a last release freed it since the count was read (its start is gone with it)
                        count = now;
                        continue;
                    }
                    throw counts.cannotChange(objectOffset, count);
                }
                long witness = (long) COUNT.compareAndExchange(RawMemory.EVERYWHERE, base + objectOffset, count, count + 1);
                if (witness == count) {
                    return true;
                }
                count = witness;
            }
            if (count == 0) {
                counts.checkOpen();
                return false;
            }
            if (!isImmortalCount(count)) {
                throw counts.refused(objectOffset, count, "tryRetain");
            }
            return true;
        } finally {
            Reference.reachabilityFence(counts);
        }
    }

    /** The plain read every operation starts with, after the one bounds check; outside the mapping: thrown. */
    private static long read(long base, long countLimit, long objectOffset, RefCounts counts) {
        if (Long.compareUnsigned(objectOffset, countLimit) >= 0) {
            throw counts.outsideTheMapping(objectOffset);
        }
        try {
            return (long) COUNT.get(RawMemory.EVERYWHERE, base + objectOffset);
        } catch (IllegalArgumentException misaligned) { // the aligned layout's own check: no test of ours on the hot path
            throw counts.notAnObject(objectOffset, 0);
        }
    }

    /**
     * Whether a count word is immortal: within {@link #IMMORTAL_TOLERANCE} of the value a freeze
     * writes. Off the hot path ({@code retain} and {@code release} test the sign only).
     *
     * @param count a count word
     * @return whether it marks an immortal object
     */
    public static boolean isImmortalCount(long count) {
        return Long.compareUnsigned(count - IMMORTAL_LOW, IMMORTAL_SPAN) < 0;
    }

    /**
     * Whether a mortal count at this offset may not change: a read-only store, a fixed page, not
     * 16-aligned, or no live block of the allocator starts there.
     */
    private boolean refusesChange(long objectOffset) {
        return objectOffset < mortalFloor || (objectOffset & (StoreFormat.OBJECT_ALIGNMENT - 1)) != 0
                || !starts.isStart(objectOffset);
    }

    /**
     * The old value of an atomic was not positive: undo the step, then return if the object
     * became immortal (a freeze raced the plain read), or throw (it was freed, or the store
     * was closed under the call).
     */
    private void raced(long objectOffset, long old, long step, String misuse) {
        COUNT.getAndAdd(RawMemory.EVERYWHERE, base + objectOffset, -step); // leave the count as it was found
        if (old < 0) {
            return;
        }
        throw refused(objectOffset, old, misuse);
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
     * Returns the count word of an object, refusing an offset that heads none: a positive word
     * where no live block of this process's allocator starts (in a writable store), a negative
     * word that is not immortal, or a zero word inside a live object.
     *
     * @param objectOffset a 16-aligned offset of the heap with a whole header inside the mapping
     * @param operation    what was attempted, for the message
     * @return the count word, read with acquire semantics
     * @throws ReferenceCountException if no object starts at the offset
     * @throws StoreClosedException    if the store was closed
     */
    public long checkedCount(long objectOffset, String operation) {
        long count = count(objectOffset);
        checkHeadsObject(objectOffset, count, operation);
        return count;
    }

    /**
     * Refuses a count word read at an offset that heads no object (see {@link #checkedCount}).
     *
     * @param objectOffset a 16-aligned offset of the heap with a whole header inside the mapping
     * @param count        the count word read there
     * @param operation    what was attempted, for the message
     * @throws ReferenceCountException if no object starts at the offset
     * @throws StoreClosedException    if the store was closed
     */
    public void checkHeadsObject(long objectOffset, long count, String operation) {
        boolean heads = count > 0 ? starts == null || starts.isStart(objectOffset)
                : count == 0 ? containing(objectOffset) < 0 : isImmortalCount(count);
        if (!heads) {
            checkOpen();
            throw notABlockStart(objectOffset, count, operation);
        }
    }

    /**
     * Marks a live object immortal, by compare-and-set from the count it has: an object whose
     * last reference is dropped meanwhile stays at zero, a free block, instead of coming back
     * immortal after its releaser freed what it referenced. Only freeze calls this.
     *
     * @param objectOffset the object's offset, bytes from the start of the file
     * @return whether the object is immortal now; {@code false} if its count is zero
     */
    public boolean makeImmortal(long objectOffset) {
        long count = (long) COUNT.getVolatile(heap, objectOffset);
        while (count > 0) {
            long witness = (long) COUNT.compareAndExchange(heap, objectOffset, count, ObjectHeaderDescriptor.IMMORTAL_COUNT);
            if (witness == count) {
                return true;
            }
            count = witness;
        }
        return count < 0;
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

    /**
     * Why the mortal path refused, in order: the store was closed under the call (its
     * mapping reads as zeros now), the offset cannot head an object, the store is read-only,
     * or the misuse the caller names (a zero count).
     */
    private RuntimeException refused(long objectOffset, long count, String misuse) {
        if (count > 0) {
            return cannotChange(objectOffset, count);
        }
        checkOpen();
        if (isNotAnObject(objectOffset)) {
            return notAnObject(objectOffset, count);
        }
        if (count < 0 || containing(objectOffset) >= 0) { // negative but not immortal, or a zero inside a live object
            return notABlockStart(objectOffset, count, misuse.substring(0, misuse.indexOf(' ') < 0 ? misuse.length() : misuse.indexOf(' ')));
        }
        int typeId = typeId(objectOffset);
        return new ReferenceCountException(file, objectOffset, typeId, count, misuse + " of type " + typeName(typeId));
    }

    /**
     * Why a positive count may not change ({@link #refusesChange}): the store was closed, the
     * offset cannot head an object, the store is read-only, or no live block starts there.
     */
    private RuntimeException cannotChange(long objectOffset, long count) {
        checkOpen();
        if (isNotAnObject(objectOffset)) {
            return notAnObject(objectOffset, count);
        }
        return starts == null ? readOnly(objectOffset, count) : notABlockStart(objectOffset, count, "change the count");
    }

    /**
     * The live block of this process's allocator whose bytes (past its count word) hold the
     * offset, or -1 if there is none or there is no index (read-only).
     */
    private long containing(long objectOffset) {
        if (starts == null) {
            return -1;
        }
        long start = starts.startAtOrBelow(objectOffset - StoreFormat.OBJECT_ALIGNMENT, StoreFormat.HEAP_START_OFFSET);
        if (start < 0 || start > heap.byteSize() - ObjectHeaderDescriptor.LENGTH) {
            return -1;
        }
        long meta = (long) META.get(heap, start + ObjectHeaderDescriptor.META_OFFSET);
        return objectOffset - start < ObjectHeaderDescriptor.blockBytes(meta) ? start : -1;
    }

    /** An offset that heads no object: say what the word there is, and which live object holds it, if one does. */
    private ReferenceCountException notABlockStart(long objectOffset, long count, String operation) {
        long holder = containing(objectOffset);
        String where;
        if (holder >= 0) {
            long meta = (long) META.get(heap, holder + ObjectHeaderDescriptor.META_OFFSET);
            int typeId = ObjectHeaderDescriptor.typeId(meta);
            where = "it is " + (objectOffset - holder) + " bytes inside the live object at 0x" + Long.toHexString(holder)
                    + " of type " + typeName(typeId) + " (type id " + typeId + ", " + ObjectHeaderDescriptor.payloadBytes(meta)
                    + " payload bytes), whose payload word reads as a count";
        } else if (count > 0) {
            where = "no live object of this process's allocator starts there (a word inside an object, or a damaged reference)";
        } else {
            where = "the word there, 0x" + Long.toHexString(count) + ", is negative but not the immortal count a freeze"
                    + " writes (a word inside an object, or a damaged reference)";
        }
        return new ReferenceCountException(file, objectOffset, TypeIds.INVALID, count, operation + ": not an object: offset 0x"
                + Long.toHexString(objectOffset) + " heads no object; " + where + "; nothing was written");
    }

    private String typeName(int typeId) {
        try {
            return "'" + typeNames.apply(typeId) + "'";
        } catch (RuntimeException e) { // a damaged header: the id alone
            return "id " + typeId;
        }
    }

    /** Throws if the store was closed: its arena is, and the mapping is zero pages now. */
    private void checkOpen() {
        if (!heap.scope().isAlive()) {
            throw new StoreClosedException(file, "the store was closed while in use");
        }
    }

    private ReferenceCountException outsideTheMapping(long objectOffset) {
        checkOpen();
        return new ReferenceCountException(file, objectOffset, TypeIds.INVALID, 0,
                "not an object: offset 0x" + Long.toHexString(objectOffset) + " is outside the mapping of 0x"
                        + Long.toHexString(heap.byteSize()) + " bytes (a damaged reference); nothing was read or written");
    }

    private StoreStateException readOnly(long objectOffset, long count) {
        return new StoreStateException(file, objectOffset, "cannot change the reference count (" + count
                + ") of a mortal object in a store opened read-only; open it copy-on-write");
    }

    /** For messages: the type id in the header at this offset, or {@link TypeIds#INVALID} if the header is not all mapped. */
    private int typeId(long objectOffset) {
        if (objectOffset > heap.byteSize() - ObjectHeaderDescriptor.LENGTH) {
            return TypeIds.INVALID;
        }
        try {
            return ObjectHeaderDescriptor.typeId((long) META.get(heap, objectOffset + ObjectHeaderDescriptor.META_OFFSET));
        } catch (IllegalStateException e) { // closed since checkOpen: the arena refuses
            throw new StoreClosedException(file, "the store was closed while in use", e);
        }
    }
}

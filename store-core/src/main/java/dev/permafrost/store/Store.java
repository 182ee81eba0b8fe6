package dev.permafrost.store;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.alloc.Allocator;
import dev.permafrost.alloc.BlockStarts;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreClosedException;
import dev.permafrost.error.StoreFullException;
import dev.permafrost.error.StoreRecoveryException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.TruncatedStoreException;
import dev.permafrost.file.StoreFile;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.Checksums;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StoreHeaders;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.memory.MappingMemory;
import dev.permafrost.memory.PageMap;
import dev.permafrost.memory.ProcessMemory;
import dev.permafrost.refcount.RefCounts;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A store: objects in a memory-mapped file, each with a reference count in its header, which
 * one owner builds and {@linkplain #freeze freezes} and any number of worker processes then
 * map copy-on-write, sharing every frozen page.
 *
 * <pre>{@code
 * try (Store store = Store.create(path, 1L << 30)) {     // owner: builds
 *     long greeting = store.allocate(5);
 *     store.payload(greeting).copyFrom(MemorySegment.ofArray("hello".getBytes()));
 *     store.freeze();                                     // every object immortal; file immutable
 * }
 * try (Store store = Store.open(path, OpenMode.COPY_ON_WRITE)) {   // worker: shares
 *     store.retain(greeting);                             // writes nothing
 *     store.release(greeting);
 * }
 * }</pre>
 *
 * <p>Typed objects (records, strings, arrays, counted references between objects) and named
 * roots live in {@link #types()}; freeing an object releases what it references.
 *
 * <p>An object is named by its offset: bytes from the start of the file, the same in every
 * process. {@link #retain}, {@link #release} and {@link #tryRetain} follow the protocol of
 * {@link RefCounts}: on an immortal object they write nothing.
 *
 * <p>Lifecycle: {@code OPEN → FROZEN → CLOSED} (or {@code OPEN → CLOSED}); {@link #checkUsable}
 * is the one check. A store opened copy-on-write on a frozen file starts {@code FROZEN}.
 *
 * <p>Thread rules: every method is thread-safe. {@link #freeze}, {@link #commit} and
 * {@link #close} stop allocation while they run; the caller must not use the store from
 * other threads during {@link #close}, nor write objects during {@link #freeze}.
 */
public final class Store implements AutoCloseable {
    /** Private memory mapped above a frozen file for a copy-on-write opener's own objects, at least. */
    public static final long MIN_PRIVATE_CAPACITY_BYTES = StoreFile.MIN_PRIVATE_BYTES;

    private enum State { OPEN, FROZEN, CLOSED }

    private final StoreFile file;
    private final MemorySegment memory;
    private final RefCounts refCounts;
    /** {@code refCounts.base()} and {@code countLimit()}, here so the hot path loads them from this object. */
    private final long countBase;
    private final long countLimit;
    private final Types types;
    /** Where this process's live mortal blocks start; {@code null} in a read-only store. */
    private final BlockStarts starts;
    /** The leak tracer's records; {@code null} unless {@link LeakTracer#ENABLED}. */
    private final LeakTracer leaks = LeakTracer.ENABLED ? new LeakTracer() : null;
    private volatile Allocator allocator;
    private volatile State state;
    private volatile OpenMode mode;
    /** The frozen commit: as opened, or as written by {@link #freeze}; null while not frozen. */
    private volatile CommitSlot frozenCommit;

    private Store(StoreFile file, OpenMode mode) {
        this.file = file;
        this.memory = file.memory();
        this.mode = mode;
        CommitSlot committed = file.committed();
        this.starts = memory.isReadOnly() ? null : BlockStarts.map(memory.byteSize(), file.path());
        if (starts != null && !committed.isFrozen()) { // the heap's live blocks, which the mortal path accepts
            starts.addLiveBlocks(memory, StoreFormat.HEAP_START_OFFSET, committed.bumpOffset(), file.path());
        }
        // the file keeps the mapping's address range
        this.refCounts = new RefCounts(memory, file.path(), file, starts, this::typeNameForMessages);
        this.countBase = refCounts.base();
        this.countLimit = refCounts.countLimit();
        this.frozenCommit = committed.isFrozen() ? committed : null;
        this.state = committed.isFrozen() ? State.FROZEN : State.OPEN;
        this.allocator = switch (mode) {
            case OWNER -> new Allocator(memory, file.path(), snapshotOf(committed), file.mappedBytes(), file::reserve, starts, true);
            case COPY_ON_WRITE -> committed.isFrozen()
                    ? emptyAllocator(committed.frozenBoundaryOffset())
                    : new Allocator(memory, file.path(), snapshotOf(committed), file.mappedBytes(), Allocator.SpaceReserver.NONE,
                            starts);
            case READ_ONLY -> null;
        };
        // last: the type and root tables are read here, once; freeing asks the types what an object references
        this.types = new Types(this, memory, committed.typeTableOffset(), committed.rootTableOffset(), this::allocateAnyType);
    }

    /**
     * Creates a new store, open as its owner.
     *
     * @param path          the new file; must not exist
     * @param capacityBytes the most bytes the file may hold, rounded up to a page: reserved as
     *                      a sparse file, so unused capacity costs nothing
     * @return the store, {@link OpenMode#OWNER}
     * @throws IllegalArgumentException if the capacity is out of range
     * @throws PermafrostException      if the file exists or cannot be created
     */
    public static Store create(Path path, long capacityBytes) {
        if (capacityBytes < StoreFormat.MIN_CAPACITY_BYTES || capacityBytes > StoreFormat.MAX_CAPACITY_BYTES) {
            throw new IllegalArgumentException(path + ": capacity " + capacityBytes + " bytes is outside ["
                    + StoreFormat.MIN_CAPACITY_BYTES + ", " + StoreFormat.MAX_CAPACITY_BYTES + "]");
        }
        return new Store(StoreFile.create(path, StoreFormat.alignToPage(capacityBytes)), OpenMode.OWNER);
    }

    /**
     * Opens an existing store. Validates the file completely before mapping it.
     *
     * @param path the store file
     * @param mode how to open it
     * @return the store
     * @throws PermafrostException a typed exception saying what is wrong with the file and where
     */
    public static Store open(Path path, OpenMode mode) {
        return open(path, mode, 0);
    }

    /**
     * Opens an existing store, choosing how much private memory a copy-on-write opener of a
     * frozen store gets for its own objects.
     *
     * @param path                 the store file
     * @param mode                 how to open it
     * @param privateCapacityBytes bytes of private memory above a frozen file (reserved, not
     *                             committed: unused bytes cost nothing); 0 for the default,
     *                             the store's unused capacity but at least {@link #MIN_PRIVATE_CAPACITY_BYTES}
     * @return the store
     * @throws PermafrostException a typed exception saying what is wrong with the file and where
     */
    public static Store open(Path path, OpenMode mode, long privateCapacityBytes) {
        if (privateCapacityBytes < 0) {
            throw new IllegalArgumentException("private capacity " + privateCapacityBytes + " is negative");
        }
        StoreFile.Access access = switch (mode) {
            case OWNER -> StoreFile.Access.OWNER;
            case COPY_ON_WRITE -> StoreFile.Access.PRIVATE;
            case READ_ONLY -> StoreFile.Access.READ_ONLY;
        };
        StoreFile file = StoreFile.open(path, access, StoreFormat.alignToPage(privateCapacityBytes));
        try {
            return new Store(file, mode);
        } catch (RuntimeException e) { // a damaged type or root table: do not leak the mapping and the lock
            if (mode == OpenMode.OWNER) { // nothing was written: mark the store clean again, as it was found
                try {
                    CommitSlot last = file.committed();
                    file.commit(last.next(last.generation() + 1, last.flags() | CommitSlotDescriptor.FLAG_CLEAN));
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            file.close();
            throw e;
        }
    }

    /**
     * Brings a store whose owner died (or was killed) back to its last commit, so that it opens
     * again. The store must not be open anywhere (an exclusive lock is taken, without waiting).
     *
     * <p>What it guarantees, and when it refuses ({@code docs/FORMAT.md}, "Recovery"): every
     * object the last commit describes as live (reachable from its roots, with the type table)
     * is kept and intact, including one its owner freed after the commit; objects written after
     * the commit above its bump offset are dropped; the free lists and counts are rebuilt from a
     * walk of the heap; reference counts of reachable objects are raised to the references found
     * to them, never lowered; the store is then committed clean. If the heap or the tables of the
     * last commit are damaged, so that recovery cannot guarantee that, it refuses with a
     * {@link StoreRecoveryException} saying what would be lost, and changes nothing.
     *
     * <p>A store that is frozen, or was closed cleanly, is not changed: the report says there was
     * nothing to recover. Command line: {@code scripts/heap-dump recover FILE}.
     *
     * @param path the store file
     * @return what was done
     * @throws StoreRecoveryException if the last commit cannot be recovered without loss
     * @throws PermafrostException    if the file is not a readable store, or a process has it open
     */
    public static RecoveryReport recover(Path path) {
        StoreHeaders.Headers headers = StoreFile.inspect(path);
        CommitSlot committed = headers.committed();
        if (committed.isFrozen() || committed.isClean()) {
            return new RecoveryReport(path, false, committed.generation(), committed.liveObjects(), 0, 0, 0, false);
        }
        StoreFile file = StoreFile.openForRecovery(path);
        try {
            return new StoreRecovery(file).run();
        } finally {
            file.close();
        }
    }

    /** A store over a file opened for recovery: its tables read, nothing written. For {@link StoreRecovery}. */
    static Store overRecovery(StoreFile file) {
        return new Store(file, OpenMode.OWNER);
    }

    /**
     * Allocates an untyped object with a reference count of 1, which the caller owns: bytes
     * that are the caller's to lay out through {@link #payload}. Typed objects (records,
     * strings, arrays) are written through {@link #types()}.
     *
     * @param payloadBytes payload length, 0 to 2<sup>40</sup> - 1 bytes
     * @return the object's offset
     * @throws StoreFullException  if there is no room
     * @throws StoreStateException if the store is read-only or closed
     */
    public long allocate(long payloadBytes) {
        return allocate(TypeIds.RAW, payloadBytes);
    }

    /**
     * Allocates an object of a type with a reference count of 1; its payload reads as zeros.
     * In a frozen store (or one opened copy-on-write) the object lives in this process's
     * private memory. Only kinds whose payload holds no references can be allocated this way:
     * {@link TypeIds#RAW} and the string and primitive array kinds ({@link TypeIds#STRING} to
     * {@link TypeIds#DOUBLE_ARRAY}). Freeing reads the references of every other kind from its
     * payload, so those are written only through {@link #types()}.
     *
     * @param typeId       {@link TypeIds#RAW}, or {@link TypeIds#STRING} to {@link TypeIds#DOUBLE_ARRAY}
     * @param payloadBytes payload length, 0 to {@link ObjectHeaderDescriptor#MAX_PAYLOAD_BYTES}
     * @return the object's offset
     * @throws IllegalArgumentException if the type id is another, or the length out of range
     * @throws StoreFullException       if there is no room
     * @throws StoreStateException      if the store is read-only or closed
     */
    long allocate(int typeId, long payloadBytes) {
        if (typeId != TypeIds.RAW && !ArrayDescriptor.isValueKind(typeId)) {
            throw new IllegalArgumentException("type id " + typeId + " (" + types.typeName(typeId) + ") cannot be allocated"
                    + " untyped: only raw (" + TypeIds.RAW + ") and the string and primitive array kinds (" + TypeIds.STRING
                    + " to " + TypeIds.DOUBLE_ARRAY + ") hold no references; write typed objects through types()");
        }
        return allocateAnyType(typeId, payloadBytes);
    }

    /** Allocates an object of any type: for the type system, which writes what the type's references need. */
    private long allocateAnyType(int typeId, long payloadBytes) {
        if (payloadBytes < 0 || payloadBytes > ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payloadBytes + " bytes is outside [0, "
                    + ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES + "]");
        }
        if (typeId <= TypeIds.INVALID || typeId > ObjectHeaderDescriptor.MAX_TYPE_ID) {
            throw new IllegalArgumentException("type id " + typeId + " is outside [1, " + ObjectHeaderDescriptor.MAX_TYPE_ID + "]");
        }
        checkUsable("allocate");
        if (mode == OpenMode.READ_ONLY) {
            throw new StoreStateException(file.path(), PermafrostException.NO_OFFSET, "cannot allocate in a store opened read-only");
        }
        long object = allocator.allocate(typeId, payloadBytes); // published with count 1 before a freeze can look
        if (LeakTracer.ENABLED && !isStoreTable(typeId)) {
            leaks.allocated(object);
        }
        return object;
    }

    /** The kinds only the store itself holds (its tables): never leaked by a program, never traced. */
    private static boolean isStoreTable(int typeId) {
        return typeId == TypeIds.TYPE_TABLE || typeId == TypeIds.TYPE_DESCRIPTOR || typeId == TypeIds.ROOT_TABLE;
    }

    /** A type's name for the protocol's messages; the type table may not be read yet (during construction). */
    private String typeNameForMessages(int typeId) {
        Types known = types;
        return known != null ? known.typeName(typeId) : TypeIds.builtinName(typeId);
    }

    /**
     * Takes a reference. On an immortal object this writes nothing.
     *
     * @param objectOffset a live object
     * @throws ReferenceCountException if the object is free, or no object starts at the offset
     *                                 (a word inside an object that reads as a count: see
     *                                 {@code docs/guide.md}, "Misuse"); nothing is written
     * @throws StoreClosedException    if the store is closed
     */
    public void retain(long objectOffset) {
        try {
            RefCounts.retain(countBase, countLimit, objectOffset, refCounts);
        } catch (InternalError e) { // the file was truncated under the mapping
            throw truncated(e, objectOffset);
        }
        if (LeakTracer.ENABLED) {
            traceRetain(objectOffset, "retain");
        }
    }

    /** The leak tracer records a reference just taken, if the object is mortal. */
    private void traceRetain(long objectOffset, String operation) {
        if (refCounts.count(objectOffset) > 0) {
            leaks.retained(objectOffset, operation);
        }
    }

    /**
     * Takes a reference unless the object's count has already dropped to zero: for lookups
     * that find an offset in a shared structure while another thread may free it.
     *
     * @param objectOffset an object
     * @return whether a reference was taken
     * @throws ReferenceCountException if no object starts at the offset; nothing is written
     * @throws StoreClosedException    if the store is closed
     */
    public boolean tryRetain(long objectOffset) {
        boolean taken;
        try {
            taken = RefCounts.tryRetain(countBase, countLimit, objectOffset, refCounts);
        } catch (InternalError e) {
            throw truncated(e, objectOffset);
        }
        if (LeakTracer.ENABLED && taken) {
            traceRetain(objectOffset, "tryRetain");
        }
        return taken;
    }

    /**
     * Drops a reference; dropping the last one frees the object, after releasing every
     * object it references (with a work list, not recursion). On an immortal object this
     * writes nothing.
     *
     * @param objectOffset a live object
     * @throws ReferenceCountException if the object is already free (double release), or no
     *                                 object starts at the offset; nothing is written or freed
     * @throws StoreClosedException    if the store is closed
     */
    public void release(long objectOffset) {
        try {
            if (RefCounts.release(countBase, countLimit, objectOffset, refCounts)) {
                free(objectOffset);
            }
        } catch (IllegalStateException e) {
            throw closed(e);
        } catch (InternalError e) {
            throw truncated(e, objectOffset);
        }
    }

    /**
     * Takes a reference: the typed form of {@link #retain(long)}.
     *
     * @param object a live object
     * @throws ReferenceCountException if the object is free
     */
    public void retain(Ref<?> object) {
        retain(object.offset());
    }

    /**
     * Takes a reference unless the object's count has already dropped to zero: the typed form
     * of {@link #tryRetain(long)}.
     *
     * @param object an object
     * @return whether a reference was taken
     */
    public boolean tryRetain(Ref<?> object) {
        return tryRetain(object.offset());
    }

    /**
     * Drops a reference: the typed form of {@link #release(long)}.
     *
     * @param object a live object
     * @throws ReferenceCountException if the object is already free (double release)
     */
    public void release(Ref<?> object) {
        release(object.offset());
    }

    /**
     * Returns its reference-count word: the typed form of {@link #refCount(long)}.
     *
     * @param object an object
     * @return its reference-count word: the count, 0 if free, negative if immortal
     */
    public long refCount(Ref<?> object) {
        return refCount(object.offset());
    }

    /**
     * Returns whether it is immortal (frozen): the typed form of {@link #isImmortal(long)}.
     *
     * @param object an object
     * @return whether it is immortal
     */
    public boolean isImmortal(Ref<?> object) {
        return isImmortal(object.offset());
    }

    /**
     * The object's payload, zero-copy: the typed form of {@link #payload(long)}.
     *
     * @param object a live object
     * @return its payload memory, valid until the store is closed
     * @throws ReferenceCountException if the object is free
     */
    public MemorySegment payload(Ref<?> object) {
        return payload(object.offset());
    }

    /**
     * Returns its reference-count word: the count, 0 if free, negative if immortal.
     *
     * @param objectOffset an object
     * @return its reference-count word: the count, 0 if free, negative if immortal
     * @throws ReferenceCountException if the offset cannot head an object of this store: outside
     *                                 the heap, not 16-aligned, a positive word where no live
     *                                 block of this process starts (not in a read-only store),
     *                                 a negative word that is not the immortal count, or a zero
     *                                 word inside a live object
     */
    public long refCount(long objectOffset) {
        checkObjectOffset(objectOffset, "refCount");
        try {
            return refCounts.checkedCount(objectOffset, "refCount");
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /**
     * Returns whether it is immortal (frozen).
     *
     * @param objectOffset an object
     * @return whether it is immortal (frozen)
     * @throws ReferenceCountException as {@link #refCount(long)}
     */
    public boolean isImmortal(long objectOffset) {
        return refCount(objectOffset) < 0;
    }

    /**
     * Returns its type id.
     *
     * @param objectOffset a live object
     * @return its type id; {@link Types#typeName} names it
     * @throws ReferenceCountException if the object is free, or the offset heads none
     */
    public int typeId(long objectOffset) {
        return ObjectHeaderDescriptor.typeId(liveMeta(objectOffset, "typeId"));
    }

    /**
     * Returns its payload length in bytes.
     *
     * @param objectOffset a live object
     * @return its payload length in bytes
     * @throws ReferenceCountException if the object is free, or the offset heads none
     */
    public long payloadBytes(long objectOffset) {
        return ObjectHeaderDescriptor.payloadBytes(liveMeta(objectOffset, "payloadBytes"));
    }

    /**
     * The object's payload, zero-copy. Read-only for immortal objects (writing one would copy
     * its page and make this process see other data than every other) and in a read-only store.
     *
     * @param objectOffset a live object
     * @return its payload memory, valid until the store is closed
     * @throws ReferenceCountException if the object is free, or the offset heads none
     */
    public MemorySegment payload(long objectOffset) {
        long meta = liveMeta(objectOffset, "payload");
        MemorySegment payload = memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, ObjectHeaderDescriptor.payloadBytes(meta));
        return isImmortal(objectOffset) ? payload.asReadOnly() : payload;
    }

    /**
     * Visits every live object (count not zero), in address order: the frozen region, then
     * this process's own objects.
     *
     * @param visitor receives each object
     */
    public void forEachObject(ObjectVisitor visitor) {
        checkUsable("walk");
        HeapWalker.BlockVisitor live = (offset, count, meta, blockBytes) -> {
            if (count != ObjectHeaderDescriptor.FREE_COUNT) {
                visitor.visit(offset, ObjectHeaderDescriptor.typeId(meta), ObjectHeaderDescriptor.payloadBytes(meta), count);
            }
            return true;
        };
        CommitSlot frozen = frozenSlot();
        Allocator current = allocator;
        if (frozen != null) {
            HeapWalker.walk(memory, StoreFormat.HEAP_START_OFFSET, frozen.bumpOffset(), file.path(), live);
        }
        if (current != null) {
            current.whileStopped(() -> HeapWalker.walk(memory, frozen != null ? frozen.frozenBoundaryOffset()
                    : StoreFormat.HEAP_START_OFFSET, current.snapshot().bumpOffset(), file.path(), live));
        } else if (frozen == null) {
            HeapWalker.walk(memory, StoreFormat.HEAP_START_OFFSET, file.committed().bumpOffset(), file.path(), live);
        }
    }

    /**
     * Makes the current state durable: syncs the heap and writes a new commit slot. Owner only.
     * Objects written before the commit survive a crash of this process.
     */
    public void commit() {
        checkOwnerOpen("commit");
        Allocator current = allocator;
        types.commitTables(() -> current.whileStopped(() -> {
            file.commit(nextCommit(current.commitSnapshot(), 0));
            current.committed();
        }));
    }

    /**
     * Freezes the store: every live object becomes immortal, the frozen boundary is set to the
     * page above the last object, a checksum of the frozen region is committed, the file is
     * trimmed to the boundary, synced and made read-only on disk. Nobody writes the file again.
     *
     * <p>Freeze while no other thread retains or releases this store's objects. One that does
     * cannot bring an object back or corrupt a count: the immortal value absorbs a racing step,
     * which is then undone, and an object whose last reference goes during the freeze stays a
     * free block. But that step's brief write can land in the frozen checksum.
     *
     * <p>Afterwards this store goes on as a copy-on-write opener of the frozen file: every
     * offset stays valid, and new objects live in private memory above the boundary, up to
     * the capacity the store was created with.
     *
     * @throws StoreStateException if the store is not open as owner, or already frozen
     */
    public void freeze() {
        checkOwnerOpen("freeze");
        Allocator current = allocator;
        current.whileStopped(() -> {
            Allocator.Snapshot snapshot = current.snapshot();
            long bump = snapshot.bumpOffset();
            // counted by the walk, not the allocator: an object whose last release raced the freeze
            // is at zero here, so it stays a hole and is not counted
            long[] live = new long[2]; // objects, block bytes
            HeapWalker.walk(memory, StoreFormat.HEAP_START_OFFSET, bump, file.path(), (offset, count, meta, blockBytes) -> {
                if (count > 0 && refCounts.makeImmortal(offset)) {
                    live[0]++;
                    live[1] += blockBytes;
                }
                return true;
            });
            long boundary = StoreFormat.alignToPage(bump);
            int checksum = Checksums.crc32c(memory, StoreFormat.HEAP_START_OFFSET, bump - StoreFormat.HEAP_START_OFFSET);
            CommitSlot last = file.committed();
            CommitSlot frozen = new CommitSlot(last.generation() + 1,
                    CommitSlotDescriptor.FLAG_CLEAN | CommitSlotDescriptor.FLAG_FROZEN, bump, boundary, checksum,
                    types.typeTableOffset(), types.rootTableOffset(), live[0], live[1], 0,
                    bump - StoreFormat.HEAP_START_OFFSET - live[1], new long[SizeClasses.COUNT]);
            file.freeze(frozen);
            frozenCommit = frozen;
            Allocator above = emptyAllocator(boundary);
            current.retire(above); // a thread waiting on the old allocator's lock allocates above the boundary
            allocator = above;
            mode = OpenMode.COPY_ON_WRITE;
            state = State.FROZEN;
            if (LeakTracer.ENABLED) {
                leaks.clear(); // every live object is immortal now: none can leak
            }
        });
    }

    /**
     * The store's types and named roots: register record classes, write and read typed objects,
     * strings and arrays, and set and find roots. Read from the file when the store opened.
     *
     * @return the store's types, the same object for the life of the store
     */
    public Types types() {
        return types;
    }

    /** {@return whether the store is frozen} */
    public boolean isFrozen() {
        return state == State.FROZEN;
    }

    /** {@return whether the store is closed} */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** {@return how this process has the store open now (an owner becomes copy-on-write when it freezes)} */
    public OpenMode mode() {
        return mode;
    }

    /** {@return the store file} */
    public Path path() {
        return file.path();
    }

    /** {@return the bump offset of the newest commit: every object the file's type and root tables name lies below it} */
    long committedBumpOffset() {
        return file.committed().bumpOffset();
    }

    /** {@return the address the mapping starts at in this process: for tests and tools of this package} */
    long mappingAddress() {
        return file.address();
    }

    /**
     * What the kernel says of this process's mapping of the store ({@code /proc/self/smaps}):
     * resident, shared and copied bytes of the file's pages. The private memory above a frozen
     * file holds this process's own objects, copies of nothing, and is left out.
     *
     * @return the accounting of this process's mapping of the file
     * @throws dev.permafrost.error.PermafrostException if {@code /proc} cannot be read
     */
    public MappingMemory mappingMemory() {
        checkUsable("read /proc");
        return ProcessMemory.ofRange(ProcessHandle.current().pid(), mappingAddress(), mappedBytes());
    }

    /**
     * The state of each page of this process's mapping of the store ({@code /proc/self/pagemap}):
     * shared with the file, copied, or not present.
     *
     * @param bytes how much of the mapping from offset 0, e.g. {@link #frozenBoundaryOffset()} or
     *              {@link #mappedBytes()}
     * @return the pages' states, page 0 at offset 0 of the file
     * @throws dev.permafrost.error.PermafrostException if {@code /proc} cannot be read
     */
    public PageMap pageMap(long bytes) {
        checkUsable("read /proc");
        if (bytes < 0 || bytes > mappedBytes()) {
            throw new IllegalArgumentException(bytes + " bytes is outside the mapping's [0, " + mappedBytes() + "]");
        }
        return ProcessMemory.pages(ProcessHandle.current().pid(), mappingAddress(), bytes);
    }

    /** {@return bytes mapped: the file, plus private memory above a frozen file} */
    public long mappedBytes() {
        return file.mappedBytes();
    }

    /** {@return the end of the frozen region, or 0 if the store is not frozen} */
    public long frozenBoundaryOffset() {
        CommitSlot frozen = frozenSlot();
        return frozen == null ? 0 : frozen.frozenBoundaryOffset();
    }

    /** {@return space accounting: the frozen region's committed counts plus this process's own objects} */
    public StoreStats stats() {
        checkUsable("stats");
        CommitSlot frozen = frozenSlot();
        Allocator current = allocator;
        Allocator.Snapshot own = current != null ? current.snapshot() : snapshotOf(file.committed());
        long boundary = frozen == null ? 0 : frozen.frozenBoundaryOffset();
        if (frozen == null || current == null) { // one region: the allocator's (or the read-only file's) counts say it all
            return new StoreStats(file.mappedBytes(), own.bumpOffset() - StoreFormat.HEAP_START_OFFSET, own.liveObjects(),
                    own.liveBytes(), own.freeBytes(), own.wastedBytes(), own.bumpOffset(), boundary);
        }
        return new StoreStats(file.mappedBytes(), frozen.bumpOffset() - StoreFormat.HEAP_START_OFFSET
                + own.bumpOffset() - boundary, frozen.liveObjects() + own.liveObjects(),
                frozen.liveBytes() + own.liveBytes(), own.freeBytes(), frozen.wastedBytes() + own.wastedBytes(),
                own.bumpOffset(), boundary);
    }

    /**
     * Lists the mortal objects this process still holds references to, with the stack of every
     * reference taken to them: the leak tracer's report. The tracer is off unless the JVM runs
     * with {@code -Dpermafrost.leakTracer=true}; on, it records the stack of each allocation,
     * {@link #retain} and successful {@link #tryRetain} of a mortal object and forgets the
     * object when it is freed ({@link #freeze} makes every object immortal: none is left). An
     * object is listed when its count is higher than the references the store holds to it (from
     * roots and the reference fields of live objects). {@link #close()} logs the same list.
     *
     * @return the leaked objects, in address order; empty if there is none
     * @throws StoreStateException  if the tracer is off
     * @throws StoreClosedException if the store is closed
     */
    public List<Leak> leakReport() {
        checkUsable("report leaks");
        if (!LeakTracer.ENABLED) {
            throw new StoreStateException(file.path(), PermafrostException.NO_OFFSET,
                    "the leak tracer is off: start the JVM with -Dpermafrost.leakTracer=true");
        }
        Map<Long, LeakTracer.Traced> traced = leaks.snapshot();
        if (traced.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> heldByTheStore = new HashMap<>();
        forEachObject((offset, typeId, payloadBytes, count) -> {
            if (count > 0 && !isStoreTable(typeId)) {
                types.forEachReference(offset, reference -> heldByTheStore.merge(reference, 1L, Long::sum));
            }
        });
        long rootTable = types.rootTableOffset();
        if (rootTable != 0) {
            MemorySegment roots = memory.asSlice(rootTable + ObjectHeaderDescriptor.LENGTH, payloadBytes(rootTable));
            for (int i = 0; i < RootTableDescriptor.count(roots); i++) {
                heldByTheStore.merge(RootTableDescriptor.nameOffset(roots, i), 1L, Long::sum);
                heldByTheStore.merge(RootTableDescriptor.objectOffset(roots, i), 1L, Long::sum);
            }
        }
        List<Leak> leaked = new ArrayList<>();
        traced.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            long offset = entry.getKey();
            long count = refCounts.count(offset);
            long outside = count - heldByTheStore.getOrDefault(offset, 0L);
            if (count > 0 && outside > 0) {
                int typeId = ObjectHeaderDescriptor.typeId(memory.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET));
                leaked.add(new Leak(offset, typeId, types.typeName(typeId), count, outside, entry.getValue().traces(),
                        entry.getValue().dropped()));
            }
        });
        return List.copyOf(leaked);
    }

    /** With the leak tracer on: logs what {@link #leakReport} lists, as the store closes; never fails the close. */
    private void logLeaks() {
        System.Logger log = System.getLogger(Store.class.getName());
        try {
            List<Leak> leaked = leakReport();
            if (!leaked.isEmpty()) {
                log.log(System.Logger.Level.WARNING, file.path() + ": closed with " + leaked.size()
                        + " mortal objects still retained (leak tracer):");
                for (Leak leak : leaked) {
                    log.log(System.Logger.Level.WARNING, file.path() + ": leaked " + leak);
                }
            }
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, file.path() + ": the leak tracer's report failed", e);
        }
    }

    /**
     * Closes the store. An owner commits first and marks the store cleanly closed. Unmaps the
     * file and drops the lock. Idempotent. With the leak tracer on, logs every object still
     * retained first ({@link #leakReport}).
     */
    @Override
    public void close() {
        State was = state;
        if (was == State.CLOSED) {
            return;
        }
        if (LeakTracer.ENABLED) {
            logLeaks();
        }
        try {
            if (was == State.OPEN && mode == OpenMode.OWNER) {
                Allocator current = allocator;
                // two clean commits, so that a damaged newest slot leaves a clean one behind: the
                // first with the blocks freed since the last commit still as they were (not on a
                // free list), the second with them on the free lists
                types.commitTables(() -> current.whileStopped(() -> {
                    file.commit(nextCommit(current.commitSnapshot(), CommitSlotDescriptor.FLAG_CLEAN));
                    current.committed();
                    file.commit(nextCommit(current.commitSnapshot(), CommitSlotDescriptor.FLAG_CLEAN));
                }));
            }
        } finally {
            state = State.CLOSED;
            file.close();
        }
    }

    @Override
    public String toString() {
        return "Store[" + file.path() + ", " + mode + ", " + state + "]";
    }

    /**
     * The one state check: throws unless the store is open (or frozen).
     *
     * @param operation what was attempted, for the message
     */
    private void checkUsable(String operation) {
        if (state == State.CLOSED) {
            throw new StoreClosedException(file.path(), "cannot " + operation + ": the store is closed");
        }
    }

    private void checkOwnerOpen(String operation) {
        checkUsable(operation);
        if (state == State.FROZEN) {
            throw new StoreStateException(file.path(), PermafrostException.NO_OFFSET, "cannot " + operation + ": the store is frozen");
        }
        if (mode != OpenMode.OWNER) {
            throw new StoreStateException(file.path(), PermafrostException.NO_OFFSET, "cannot " + operation
                    + ": the store is open " + mode + ", not as its owner");
        }
    }

    private void free(long objectOffset) {
        WorkList work = new WorkList(objectOffset);
        while (!work.isEmpty()) {
            long next = work.pop();
            types.forEachReference(next, reference -> {
                if (RefCounts.release(countBase, countLimit, reference, refCounts)) {
                    work.push(reference);
                }
            });
            if (next >= frozenBoundaryOffset()) { // a block freed as a freeze made its region immutable stays a hole
                allocator.free(next);
            }
            if (LeakTracer.ENABLED) {
                leaks.freed(next);
            }
        }
    }

    /** Objects whose last reference was dropped and which are still to be freed. */
    private static final class WorkList {
        private long[] offsets = new long[8];
        private int size;

        WorkList(long first) {
            offsets[size++] = first;
        }

        boolean isEmpty() {
            return size == 0;
        }

        long pop() {
            return offsets[--size];
        }

        void push(long offset) {
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
            }
            offsets[size++] = offset;
        }
    }

    /** The meta word of a live object; a free block or an offset that heads no object is refused. */
    private long liveMeta(long objectOffset, String operation) {
        checkObjectOffset(objectOffset, operation);
        try {
            long count = memory.get(LONG, objectOffset);
            refCounts.checkHeadsObject(objectOffset, count, operation);
            long meta = memory.get(LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET);
            if (count == ObjectHeaderDescriptor.FREE_COUNT) {
                throw new ReferenceCountException(file.path(), objectOffset, ObjectHeaderDescriptor.typeId(meta), count,
                        operation + " of a free object (use after free)");
            }
            return meta;
        } catch (IllegalStateException e) {
            throw closed(e);
        } catch (InternalError e) {
            throw truncated(e, objectOffset);
        }
    }

    /** Edge check of an offset a caller passed to a method off the hot path. */
    private void checkObjectOffset(long objectOffset, String operation) {
        if (objectOffset < StoreFormat.HEAP_START_OFFSET || (objectOffset & (StoreFormat.OBJECT_ALIGNMENT - 1)) != 0
                || objectOffset > memory.byteSize() - ObjectHeaderDescriptor.LENGTH) {
            checkUsable(operation);
            throw new ReferenceCountException(file.path(), objectOffset, TypeIds.INVALID, 0, operation + ": 0x"
                    + Long.toHexString(objectOffset) + " is not an object offset in this store (16-aligned, from 0x"
                    + Long.toHexString(StoreFormat.HEAP_START_OFFSET) + " to 0x" + Long.toHexString(memory.byteSize()) + ")");
        }
    }

    private CommitSlot frozenSlot() {
        return frozenCommit;
    }

    private CommitSlot nextCommit(Allocator.Snapshot snapshot, int flags) {
        CommitSlot last = file.committed();
        return new CommitSlot(last.generation() + 1, flags, snapshot.bumpOffset(), 0, 0, types.typeTableOffset(),
                types.rootTableOffset(), snapshot.liveObjects(), snapshot.liveBytes(), snapshot.freeBytes(),
                snapshot.wastedBytes(), snapshot.freeHeads());
    }

    private Allocator emptyAllocator(long boundary) {
        return new Allocator(memory, file.path(),
                new Allocator.Snapshot(boundary, new long[SizeClasses.COUNT], 0, 0, 0, 0), file.mappedBytes(),
                Allocator.SpaceReserver.NONE, starts);
    }

    /** For {@link ObjectSpace#checkLive}: refuses a count word read at an offset that heads no object. */
    void checkHeadsObject(long objectOffset, long count, String operation) {
        refCounts.checkHeadsObject(objectOffset, count, operation);
    }

    private static Allocator.Snapshot snapshotOf(CommitSlot slot) {
        return new Allocator.Snapshot(slot.bumpOffset(), slot.freeHeads(), slot.liveObjects(), slot.liveBytes(),
                slot.freeBytes(), slot.wastedBytes());
    }

    /**
     * An {@code InternalError} from an access to the mapping: the JVM's answer to a fault in
     * mapped memory, which is what a read past the end of a file that another process
     * truncated under the mapping raises. Said as the store's own error, naming the file and the
     * offset, when the file is now too short for the object; anything else goes on as it was.
     * Compiled code may report the fault a little after the access that caused it (at the next
     * safepoint poll), so each entry point catches it around its whole body, not the one read.
     *
     * @param fault        the error the access raised
     * @param objectOffset the object the access was for
     * @return the typed error to throw
     */
    TruncatedStoreException truncated(InternalError fault, long objectOffset) {
        long fileBytes;
        try {
            fileBytes = java.nio.file.Files.size(file.path());
        } catch (java.io.IOException | RuntimeException unreadable) {
            fault.addSuppressed(unreadable);
            throw fault;
        }
        if (objectOffset + ObjectHeaderDescriptor.LENGTH <= fileBytes && fileBytes >= frozenOrCommittedFileBytes()) {
            throw fault;
        }
        return new TruncatedStoreException(file.path(), objectOffset, "the file is " + fileBytes
                + " bytes now, shorter than the store mapped; another process truncated it while it was in use", fault);
    }

    /** The bytes the file held when it was mapped, as far as this process can tell: the frozen boundary, or the mapping. */
    private long frozenOrCommittedFileBytes() {
        CommitSlot frozen = frozenSlot();
        return frozen != null ? frozen.frozenBoundaryOffset() : file.mappedBytes();
    }

    /**
     * An {@code IllegalStateException} from the store's memory: a close raced the call (the
     * arena is gone) and the store says so, or it is something else, which goes on as it was.
     */
    RuntimeException closed(IllegalStateException cause) {
        if (state != State.CLOSED && memory.scope().isAlive()) {
            return cause;
        }
        return new StoreClosedException(file.path(), "the store was closed while in use", cause);
    }
}

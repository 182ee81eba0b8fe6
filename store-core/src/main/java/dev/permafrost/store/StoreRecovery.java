package dev.permafrost.store;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreRecoveryException;
import dev.permafrost.file.StoreFile;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Brings a store whose owner died back to its last commit ({@link Store#recover}); the rules are
 * in {@code docs/FORMAT.md}, "Recovery". In order:
 *
 * <ol>
 *   <li>walk the heap up to the commit's bump offset (a header that does not describe a block:
 *       refused, saying how much of the committed heap would be lost);</li>
 *   <li>the commit's type table and root table, every descriptor, root name and root object must
 *       head a block of the walk; one that the owner freed after the commit (count 0: its bytes
 *       are intact, because a block freed after a commit is not reused before the next) is
 *       restored; then every object reachable from the roots, the same way;</li>
 *   <li>reference counts of reachable objects are raised to the references found to them (never
 *       lowered: a reference the dead owner held stays counted, a leak rather than a corruption);
 *       an immortal count (a freeze that was killed before its commit) becomes the references
 *       found, or 1 for an object nothing reaches;</li>
 *   <li>in a store with a root table, a typed (not raw) live object that nothing reached is
 *       garbage, and is freed: every reference to a typed object is a root or a counted reference
 *       that step 2 followed, so it was either written after the commit into a block the commit
 *       had free, or held only by the dead owner, and nothing can ever release it. A raw object
 *       may be named by an offset the store cannot see (a raw payload of the caller's layout): it
 *       is kept. A store without roots keeps every live object;</li>
 *   <li>the free lists and the counts are rebuilt from the walk, the space above the bump offset
 *       is cleared, and the result is committed clean, twice (both slots).</li>
 * </ol>
 * Nothing is written before every check has passed.
 */
final class StoreRecovery {
    private final StoreFile file;
    private final Path path;
    private final MemorySegment memory;
    private final CommitSlot commit;
    private long[] blocks = new long[1024];
    private int blockCount;
    /** Per block index: references found to it; -1 until reached from a root. */
    private long[] references;
    /** Blocks freed after the commit and restored: undone if recovery is refused. */
    private long[] restoredOffsets = new long[16];
    private int restoredCount;

    StoreRecovery(StoreFile file) {
        this.file = file;
        this.path = file.path();
        this.memory = file.memory();
        this.commit = file.committed();
    }

    RecoveryReport run() {
        long bump = commit.bumpOffset();
        try {
            HeapWalker.walk(memory, StoreFormat.HEAP_START_OFFSET, bump, path, (offset, count, meta, bytes) -> {
                if (blockCount == blocks.length) {
                    blocks = Arrays.copyOf(blocks, blockCount * 2);
                }
                blocks[blockCount++] = offset;
                return true;
            });
        } catch (CorruptStoreException e) {
            throw refuse(e.offset(), "the heap is damaged at 0x" + Long.toHexString(e.offset()) + " (" + e.getMessage()
                    + "): the " + (bump - e.offset()) + " bytes of the committed heap from there to the bump offset 0x"
                    + Long.toHexString(bump) + " would be lost", e);
        }
        references = new long[blockCount];
        Arrays.fill(references, -1);
        try {
            reachEverythingCommitted();
        } catch (RuntimeException e) { // leave the file as it was found
            for (int i = 0; i < restoredCount; i++) {
                memory.set(LONG, restoredOffsets[i], ObjectHeaderDescriptor.FREE_COUNT);
            }
            if (e instanceof StoreRecoveryException) {
                throw e;
            }
            long at = e instanceof PermafrostException p ? p.offset() : PermafrostException.NO_OFFSET;
            throw refuse(at, "the committed type or root table does not read (" + e.getMessage() + "): the objects"
                    + " it describes would be lost", e);
        }
        long typeTable = commit.typeTableOffset();
        long rootTable = commit.rootTableOffset();
        // every check passed: write
        long liveObjects = 0;
        long liveBytes = 0;
        long freeBytes = 0;
        long wastedBytes = 0;
        long unreachable = 0;
        long[] heads = new long[SizeClasses.COUNT];
        for (int i = blockCount - 1; i >= 0; i--) { // pushed from the top, so the lowest block comes off first
            long offset = blocks[i];
            long meta = memory.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
            long bytes = ObjectHeaderDescriptor.blockBytes(meta);
            long count = memory.get(LONG, offset);
            boolean reached = references[i] >= 0;
            if (count != ObjectHeaderDescriptor.FREE_COUNT && !reached && rootTable != 0
                    && ObjectHeaderDescriptor.typeId(meta) != TypeIds.RAW) {
                count = ObjectHeaderDescriptor.FREE_COUNT; // garbage: see step 4 of the class comment
                memory.set(LONG, offset, count);
                unreachable++;
            } else if (count < 0) { // immortal in a store that is not frozen: a freeze that never committed
                count = reached ? references[i] : 1;
                memory.set(LONG, offset, count);
            } else if (reached && count > 0 && count < references[i]) {
                memory.set(LONG, offset, references[i]);
            }
            if (count == ObjectHeaderDescriptor.FREE_COUNT && ObjectHeaderDescriptor.typeId(meta) != TypeIds.RAW) {
                // a free block's type is history, and may be one registered after the commit, which the
                // recovered type table does not have: free blocks read as raw, as the allocator makes them
                memory.set(LONG, offset + ObjectHeaderDescriptor.META_OFFSET,
                        ObjectHeaderDescriptor.meta(TypeIds.RAW, bytes - ObjectHeaderDescriptor.LENGTH));
            }
            if (count != ObjectHeaderDescriptor.FREE_COUNT) {
                liveObjects++;
                liveBytes += bytes;
            } else if (bytes < SizeClasses.MIN_FREE_LIST_BLOCK_BYTES) {
                wastedBytes += bytes;
            } else {
                int sizeClass = SizeClasses.classOf(bytes);
                memory.set(LONG, offset + ObjectHeaderDescriptor.FREE_NEXT_OFFSET, heads[sizeClass]);
                heads[sizeClass] = offset;
                freeBytes += bytes;
            }
        }
        long cleared = clearAbove(bump);
        long generation = commit.generation() + 1;
        CommitSlot recovered = new CommitSlot(generation, CommitSlotDescriptor.FLAG_CLEAN, bump, 0, 0, typeTable, rootTable,
                liveObjects, liveBytes, freeBytes, wastedBytes, heads);
        file.commit(recovered);
        file.commit(recovered.next(generation + 1, CommitSlotDescriptor.FLAG_CLEAN)); // both slots clean
        return new RecoveryReport(path, true, generation + 1, liveObjects, restoredCount, unreachable,
                Math.max(0, freeBytes - commit.freeBytes()) + cleared, cleared > 0);
    }

    /** Steps 2 and 3 of the class comment: every block the commit's tables reach, restored if freed since. */
    private void reachEverythingCommitted() {
        Stack work = new Stack();
        long typeTable = commit.typeTableOffset();
        long rootTable = commit.rootTableOffset();
        if (typeTable != 0) {
            reach(typeTable, TypeIds.TYPE_TABLE, "the type table");
            MemorySegment payload = payloadOf(typeTable);
            int count = TypeTableDescriptor.count(payload);
            if (count < 0 || count > TypeTableDescriptor.capacity(payload.byteSize())) {
                throw refuse(typeTable, "the type table's count " + count + " does not fit it: every type would be lost", null);
            }
            for (int i = 0; i < count; i++) {
                reach(TypeTableDescriptor.entry(payload, i), TypeIds.TYPE_DESCRIPTOR, "type " + i + "'s descriptor");
            }
        }
        if (rootTable != 0) {
            reach(rootTable, TypeIds.ROOT_TABLE, "the root table");
            MemorySegment payload = payloadOf(rootTable);
            int count = RootTableDescriptor.count(payload);
            if (count < 0 || count > RootTableDescriptor.capacity(payload.byteSize())) {
                throw refuse(rootTable, "the root table's count " + count + " does not fit it: every root would be lost", null);
            }
            for (int i = 0; i < count; i++) {
                reach(RootTableDescriptor.nameOffset(payload, i), TypeIds.STRING, "root " + i + "'s name");
                long object = RootTableDescriptor.objectOffset(payload, i);
                if (reach(object, 0, "root " + i + "'s object")) {
                    work.push(object);
                }
            }
        }
        // the typed layer reads the tables (validating them); restored blocks already have a count
        Types types = Store.overRecovery(file).types();
        while (!work.isEmpty()) {
            long next = work.pop();
            types.forEachReference(next, reference -> {
                if (reach(reference, 0, "an object referenced by the one at 0x" + Long.toHexString(next))) {
                    work.push(reference);
                }
            });
        }
    }

    /** Offsets still to visit. */
    private static final class Stack {
        private long[] offsets = new long[64];
        private int size;

        void push(long offset) {
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
            }
            offsets[size++] = offset;
        }

        long pop() {
            return offsets[--size];
        }

        boolean isEmpty() {
            return size == 0;
        }
    }

    /**
     * Counts a reference to a block the commit describes as live, restoring it if its owner freed
     * it after the commit.
     *
     * @return whether the block was reached for the first time (its references are still to be followed)
     */
    private boolean reach(long offset, int typeId, String what) {
        int index = offset < StoreFormat.HEAP_START_OFFSET ? -1 : Arrays.binarySearch(blocks, 0, blockCount, offset);
        if (index < 0) {
            throw refuse(offset, what + " (0x" + Long.toHexString(offset) + ") does not head a block of the committed heap:"
                    + " it, and everything only it reaches, would be lost", null);
        }
        int found = ObjectHeaderDescriptor.typeId(memory.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET));
        if (typeId != 0 && found != typeId) {
            throw refuse(offset, what + " (0x" + Long.toHexString(offset) + ") is a block of type id " + found + ", not "
                    + TypeIds.builtinName(typeId) + ": it, and everything only it reaches, would be lost", null);
        }
        boolean first = references[index] < 0;
        references[index] = first ? 1 : references[index] + 1;
        if (first && memory.get(LONG, offset) == ObjectHeaderDescriptor.FREE_COUNT) {
            memory.set(LONG, offset, 1L); // raised to its references at the end
            if (restoredCount == restoredOffsets.length) {
                restoredOffsets = Arrays.copyOf(restoredOffsets, restoredCount * 2);
            }
            restoredOffsets[restoredCount++] = offset;
        }
        return first;
    }

    /** Zeroes what the dead owner wrote above the bump offset (bump allocations are contiguous); returns the bytes cleared. */
    private long clearAbove(long bump) {
        long limit = memory.byteSize();
        long end = bump;
        while (end <= limit - ObjectHeaderDescriptor.LENGTH) {
            long meta = memory.get(LONG, end + ObjectHeaderDescriptor.META_OFFSET);
            long count = memory.get(LONG, end);
            if (meta == 0 && count == 0) {
                break;
            }
            long bytes = ObjectHeaderDescriptor.typeId(meta) == TypeIds.INVALID ? ObjectHeaderDescriptor.LENGTH
                    : ObjectHeaderDescriptor.blockBytes(meta);
            end = Math.min(limit, end + Math.max(bytes, ObjectHeaderDescriptor.LENGTH));
        }
        if (end > bump) {
            memory.asSlice(bump, end - bump).fill((byte) 0);
        }
        return end - bump;
    }

    private MemorySegment payloadOf(long offset) {
        long meta = memory.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
        return memory.asSlice(offset + ObjectHeaderDescriptor.LENGTH, ObjectHeaderDescriptor.payloadBytes(meta));
    }

    private StoreRecoveryException refuse(long offset, String detail, Throwable cause) {
        return new StoreRecoveryException(path, offset, "cannot recover to commit generation " + commit.generation()
                + " without loss: " + detail + "; nothing was changed", cause);
    }
}

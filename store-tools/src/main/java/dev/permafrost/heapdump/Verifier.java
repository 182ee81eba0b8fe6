package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StoreHeaders;
import dev.permafrost.layout.TypeEntryDescriptor;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The full structural check behind {@code verify}. Every problem becomes a finding (offset and
 * what is wrong) rather than an exception, so one run reports them all; only a store too
 * damaged to read at all (superblock, commit slots, length) is refused earlier, by
 * {@link StoreImage#open}.
 *
 * <p>Checks, in order: both commit slots; every block header (type id, count word against the
 * frozen state); the committed counts against the walk; every free list (each link in range,
 * a block start, free, of the list's class, no cycle, no block on two lists; every free block
 * on a list); the frozen checksum; every reference the CLI can find (a live object of the right
 * type); every mortal count at least the references found to it; and, when the store has
 * roots and every type's references are known, mortal objects no root reaches (leaks).
 */
final class Verifier {
    /** One problem. */
    record Finding(long offset, String what) {
    }

    /** Most findings kept (all are counted). */
    static final int MAX_FINDINGS = 10_000;
    private static final long IMMORTAL_TOLERANCE = 1L << 40;
    private static final long CHECKSUM_CHUNK_BYTES = 64L << 20;

    private final StoreImage image;
    private final MemorySegment memory;
    private final CommitSlot slot;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> checked = new ArrayList<>();
    private long findingCount;
    private Tables tables;
    private References refs;
    private BlockIndex index;
    private final Census census = new Census();
    private long walkedEndOffset;
    private boolean walkComplete;
    private boolean allReferencesKnown = true;
    private long references;

    Verifier(StoreImage image) {
        this.image = image;
        this.memory = image.memory();
        this.slot = image.committed();
    }

    /**
     * Runs every check.
     *
     * @param progress told how far the heap walk is
     * @return this, with its findings
     */
    Verifier run(ProgressFactory progress) {
        checkSlots();
        try {
            tables = Tables.read(image);
        } catch (CorruptStoreException e) {
            add(e.offset(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
            tables = null;
        }
        refs = new References(tables != null ? tables : Tables.empty());
        walk(progress.of("verify: headers", image.bumpOffset()));
        if (walkComplete) {
            checkCounts();
            checkFreeLists();
            checkReferences();
        } else {
            notes.add("the heap walk stopped at 0x" + Long.toHexString(walkedEndOffset)
                    + "; free lists, counts and references were not checked");
        }
        if (slot.isFrozen()) {
            checkFrozenChecksum(progress.of("verify: checksum", image.bumpOffset()));
        }
        return this;
    }

    /** Makes progress bars. */
    @FunctionalInterface
    interface ProgressFactory {
        /**
         * Returns a bar.
         *
         * @param label      what is scanned
         * @param totalBytes bytes to scan
         * @return the bar
         */
        Progress of(String label, long totalBytes);
    }

    List<Finding> findings() {
        return findings;
    }

    long findingCount() {
        return findingCount;
    }

    List<String> notes() {
        return notes;
    }

    List<String> checked() {
        return checked;
    }

    Census census() {
        return census;
    }

    long references() {
        return references;
    }

    private void add(long offset, String what) {
        findingCount++;
        if (findings.size() < MAX_FINDINGS) {
            findings.add(new Finding(offset, what));
        }
    }

    private void checkSlots() {
        for (int i = 0; i < 2; i++) {
            StoreHeaders.SlotReport report = image.slot(i);
            if (report.state() == StoreHeaders.SlotState.DAMAGED) {
                add(report.slotOffset(), "commit slot " + i + " is damaged (" + report.problem() + ": torn by a crash, or "
                        + "corrupted); the store uses the other slot, generation " + slot.generation());
            }
        }
        StoreHeaders.SlotReport newer = image.newerCommit();
        if (newer != null) {
            add(newer.problemOffset(), "commit slot " + newer.index() + " holds the store's newest commit, which this build "
                    + "cannot read (" + newer.problem() + "); shown and checked: the older commit generation "
                    + slot.generation() + "; the library refuses to open the store");
        }
        if (slot.isFrozen() && image.fileBytes() > slot.frozenBoundaryOffset()) {
            add(slot.frozenBoundaryOffset(), "the file is " + image.fileBytes() + " bytes, longer than its frozen boundary: "
                    + "the freeze died before trimming it (readers map the boundary only)");
        }
        if (!slot.isClean()) {
            add(CommitSlotDescriptor.slotOffset(slot.generation()), "the store was not closed cleanly (commit generation "
                    + slot.generation() + "): its owner has it open or died; what it wrote after that commit is not checked");
        }
        checked.add("superblock and commit slots");
    }

    private void walk(Progress progress) {
        index = new BlockIndex(image.heapStartOffset(), image.bumpOffset());
        boolean frozen = slot.isFrozen();
        boolean hasTypeTable = tables != null && tables.typeTableOffset() != 0;
        walkedEndOffset = image.heapStartOffset();
        try {
            HeapScan.walk(image, progress, (offset, count, meta, blockBytes) -> {
                index.add(offset);
                census.block(offset, count, meta, blockBytes);
                walkedEndOffset = offset + blockBytes;
                if (count == ObjectHeaderDescriptor.FREE_COUNT) {
                    return;
                }
                int typeId = ObjectHeaderDescriptor.typeId(meta);
                if (count < 0) {
                    if (!frozen) {
                        add(offset, "immortal object (count word 0x" + Long.toHexString(count) + ") in a store that was never frozen");
                    } else if (Math.abs(count - ObjectHeaderDescriptor.IMMORTAL_COUNT) > IMMORTAL_TOLERANCE) {
                        add(offset, "count word 0x" + Long.toHexString(count)
                                + " is negative but far from the immortal value freeze writes: corrupted");
                    }
                } else if (frozen) {
                    add(offset, "mortal object (count " + count + ") in the frozen region: freeze makes every object immortal");
                }
                if (typeId > TypeIds.REFERENCE_ARRAY && typeId < TypeIds.FIRST_USER_TYPE_ID) {
                    add(offset, "type id " + typeId + " is reserved (ids " + (TypeIds.REFERENCE_ARRAY + 1) + " to "
                            + (TypeIds.FIRST_USER_TYPE_ID - 1) + " are kept for built-in kinds)");
                } else if (typeId >= TypeIds.FIRST_USER_TYPE_ID && hasTypeTable && tables.descriptorOffset(typeId) == 0) {
                    add(offset, "type id " + typeId + " has no entry in the type table (" + tables.typeCount() + " types)");
                }
                TypeEntryDescriptor.TypeEntry entry = tables != null ? tables.entry(typeId) : null;
                if (entry != null && ObjectHeaderDescriptor.payloadBytes(meta) < entry.fixedBytes()) {
                    add(offset, "payload of " + ObjectHeaderDescriptor.payloadBytes(meta) + " bytes is shorter than the "
                            + entry.fixedBytes() + "-byte fixed part of its type " + entry.name());
                }
                if (!refs.knows(typeId)) {
                    allReferencesKnown = false;
                }
            });
            walkComplete = true;
        } catch (CorruptStoreException e) {
            add(e.offset(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
        index.seal();
        checked.add("every block header (" + census.blocks + " blocks)");
    }

    private void checkCounts() {
        if (!slot.isClean()) {
            notes.add("committed counts not compared: the store was not closed cleanly");
            return;
        }
        long liveObjects = census.liveObjects;
        long liveBytes = census.liveBytes;
        if (slot.liveObjects() != liveObjects) {
            add(CommitSlotDescriptor.slotOffset(slot.generation()) + CommitSlotDescriptor.LIVE_OBJECTS_OFFSET,
                    "committed live objects " + slot.liveObjects() + ", the heap holds " + liveObjects);
        }
        if (slot.liveBytes() != liveBytes) {
            add(CommitSlotDescriptor.slotOffset(slot.generation()) + CommitSlotDescriptor.LIVE_BYTES_OFFSET,
                    "committed live bytes " + slot.liveBytes() + ", the heap's live blocks add up to " + liveBytes);
        }
        long wasted = slot.isFrozen() ? census.freeBytes + slot.frozenBoundaryOffset() - slot.bumpOffset() : census.fillerBytes;
        long free = slot.isFrozen() ? 0 : census.freeBytes - census.fillerBytes;
        if (slot.freeBytes() != free) {
            add(CommitSlotDescriptor.slotOffset(slot.generation()) + CommitSlotDescriptor.FREE_BYTES_OFFSET,
                    "committed free bytes " + slot.freeBytes() + ", the heap's free blocks add up to " + free);
        }
        // FORMAT.md counts the gap between the bump offset and the boundary as wasted; Store.freeze
        // does not: either agrees with the heap
        boolean wastedAgrees = slot.wastedBytes() == wasted
                || slot.isFrozen() && slot.wastedBytes() == wasted - (slot.frozenBoundaryOffset() - slot.bumpOffset());
        if (!wastedAgrees) {
            add(CommitSlotDescriptor.slotOffset(slot.generation()) + CommitSlotDescriptor.WASTED_BYTES_OFFSET,
                    "committed wasted bytes " + slot.wastedBytes() + ", the heap has " + wasted);
        }
        checked.add("committed counts against the heap");
    }

    private void checkFreeLists() {
        long slotAt = CommitSlotDescriptor.slotOffset(slot.generation());
        long[] heads = slot.freeHeads();
        long[] onList = new long[(index.blocks() + 63) >>> 6];
        long linked = 0;
        for (int c = 0; c < heads.length; c++) {
            long headField = slotAt + CommitSlotDescriptor.FREE_HEADS_OFFSET + 8L * c;
            if (heads[c] == 0) {
                continue;
            }
            if (slot.isFrozen()) {
                add(headField, "free list of class " + c + " is not empty in a frozen store (head 0x" + Long.toHexString(heads[c]) + ")");
                continue;
            }
            long classBytes = SizeClasses.sizeOf(c);
            long from = headField;
            for (long block = heads[c]; block != 0; ) {
                String where = "free list of class " + c + " (" + classBytes + "-byte blocks): entry 0x"
                        + Long.toHexString(block) + " (linked from 0x" + Long.toHexString(from) + ")";
                if (!index.isBlockStart(block)) {
                    add(from, where + " is not the start of a block in the heap");
                    break;
                }
                long count = memory.get(LONG, block);
                long blockBytes = ObjectHeaderDescriptor.blockBytes(memory.get(LONG, block + ObjectHeaderDescriptor.META_OFFSET));
                if (count != ObjectHeaderDescriptor.FREE_COUNT) {
                    add(block, where + " is a live object (count word 0x" + Long.toHexString(count) + "), not a free block");
                    break;
                }
                if (blockBytes != classBytes) {
                    add(block, where + " is a block of " + blockBytes + " bytes, on the list of " + classBytes + "-byte blocks");
                }
                int ordinal = index.ordinal(block);
                if ((onList[ordinal >>> 6] & (1L << ordinal)) != 0) {
                    add(block, where + " was reached before: the list has a cycle, or two lists share it");
                    break;
                }
                onList[ordinal >>> 6] |= 1L << ordinal;
                linked++;
                from = block + ObjectHeaderDescriptor.FREE_NEXT_OFFSET;
                block = memory.get(LONG, from);
            }
        }
        if (!slot.isFrozen() && slot.isClean()) {
            long[] unlinked = {0, -1}; // count, first offset
            HeapScan.walk(image, Progress.NONE, (offset, count, meta, blockBytes) -> {
                if (count == 0 && blockBytes >= SizeClasses.MIN_FREE_LIST_BLOCK_BYTES) {
                    int ordinal = index.ordinal(offset);
                    if ((onList[ordinal >>> 6] & (1L << ordinal)) == 0 && unlinked[0]++ == 0) {
                        unlinked[1] = offset;
                    }
                }
            });
            if (unlinked[0] > 0) {
                add(unlinked[1], unlinked[0] + " free block(s) are on no free list (space lost until the store is rebuilt); the first is here");
            }
        }
        checked.add("free lists (" + linked + " block(s) linked)");
    }

    private void checkReferences() {
        boolean anyHolder = census.types().stream().anyMatch(t -> refs.holdsReferences(t.typeId));
        int[] inbound = new int[anyHolder ? index.blocks() : 0];
        References.Sink sink = (field, target, expectedType) -> {
            references++;
            if (!index.isBlockStart(target)) {
                add(field, "reference 0x" + Long.toHexString(target) + " does not point at a block of the heap [0x"
                        + Long.toHexString(image.heapStartOffset()) + ", 0x" + Long.toHexString(image.bumpOffset()) + ")");
                return;
            }
            long count = memory.get(LONG, target);
            long meta = memory.get(LONG, target + ObjectHeaderDescriptor.META_OFFSET);
            if (count == ObjectHeaderDescriptor.FREE_COUNT) {
                add(field, "reference 0x" + Long.toHexString(target) + " points at a free block (use after free)");
                return;
            }
            int type = ObjectHeaderDescriptor.typeId(meta);
            if (expectedType >= 0 && type != expectedType) {
                add(field, "reference 0x" + Long.toHexString(target) + " points at an object of type " + typeName(type)
                        + ", the field holds " + typeName(expectedType));
            }
            int ordinal = index.ordinal(target);
            if (inbound[ordinal] != Integer.MAX_VALUE) {
                inbound[ordinal]++;
            }
        };
        if (anyHolder) { // one more pass, only when some object can hold references
            HeapScan.walk(image, Progress.NONE, (offset, count, meta, blockBytes) -> {
                if (count != ObjectHeaderDescriptor.FREE_COUNT) {
                    refs.forEach(memory, offset, meta, sink);
                }
            });
        }
        // the commit slot's own references: the tables
        long slotAt = CommitSlotDescriptor.slotOffset(slot.generation());
        checkTableReference(slotAt + CommitSlotDescriptor.TYPE_TABLE_OFFSET, slot.typeTableOffset(), TypeIds.TYPE_TABLE);
        checkTableReference(slotAt + CommitSlotDescriptor.ROOT_TABLE_OFFSET, slot.rootTableOffset(), TypeIds.ROOT_TABLE);
        HeapScan.walk(image, Progress.NONE, (offset, count, meta, blockBytes) -> {
            if (census.mortal == 0 || references == 0) {
                throw HeapScan.STOP; // no mortal count to compare, or nothing to compare it with
            }
            if (count > 0) {
                int n = inbound[index.ordinal(offset)];
                if (count < n) {
                    add(offset, "reference count " + count + " is less than the " + n + " references to it found in the store");
                }
            }
        });
        checked.add("references (" + references + ") and mortal counts against them");
        if (!allReferencesKnown) {
            notes.add("the store holds objects of types whose references this build cannot find (typed objects): "
                    + "references inside them and leaks were not checked");
            return;
        }
        if (slot.rootTableOffset() == 0) {
            notes.add("the store has no root table: unreachable objects (leaks) were not looked for");
            return;
        }
        checkReachability();
    }

    private void checkTableReference(long field, long target, int type) {
        if (target == 0) {
            return;
        }
        if (!index.isBlockStart(target)) {
            add(field, "the commit slot's reference to the " + typeName(type) + " (0x" + Long.toHexString(target)
                    + ") does not point at a block of the heap");
        } else if (memory.get(LONG, target) == ObjectHeaderDescriptor.FREE_COUNT
                || ObjectHeaderDescriptor.typeId(memory.get(LONG, target + ObjectHeaderDescriptor.META_OFFSET)) != type) {
            add(field, "the commit slot's reference to the " + typeName(type) + " (0x" + Long.toHexString(target)
                    + ") points at a free block or an object of another type");
        }
    }

    /** Marks from the tables, with an explicit stack; reports mortal objects left unmarked. */
    private void checkReachability() {
        long[] marked = new long[(index.blocks() + 63) >>> 6];
        long[] stack = new long[64];
        int[] size = {0};
        long[][] stackRef = {stack};
        java.util.function.LongConsumer push = target -> {
            if (!index.isBlockStart(target) || memory.get(LONG, target) == ObjectHeaderDescriptor.FREE_COUNT) {
                return;
            }
            int ordinal = index.ordinal(target);
            if ((marked[ordinal >>> 6] & (1L << ordinal)) != 0) {
                return;
            }
            marked[ordinal >>> 6] |= 1L << ordinal;
            if (size[0] == stackRef[0].length) {
                stackRef[0] = java.util.Arrays.copyOf(stackRef[0], size[0] * 2);
            }
            stackRef[0][size[0]++] = target;
        };
        push.accept(slot.typeTableOffset());
        push.accept(slot.rootTableOffset());
        while (size[0] > 0) {
            long object = stackRef[0][--size[0]];
            refs.forEach(memory, object, memory.get(LONG, object + ObjectHeaderDescriptor.META_OFFSET),
                    (field, target, expected) -> push.accept(target));
        }
        long[] leaks = {0};
        HeapScan.walk(image, Progress.NONE, (offset, count, meta, blockBytes) -> {
            if (count > 0) {
                int ordinal = index.ordinal(offset);
                if ((marked[ordinal >>> 6] & (1L << ordinal)) == 0) {
                    leaks[0]++;
                    add(offset, "unreachable mortal object (" + typeName(ObjectHeaderDescriptor.typeId(meta)) + ", count "
                            + count + "): no root reaches it, so nothing can release it (a leak)");
                }
            }
        });
        checked.add("reachability from the roots (" + leaks[0] + " unreachable mortal objects)");
    }

    private void checkFrozenChecksum(Progress progress) {
        long start = image.heapStartOffset();
        long end = image.bumpOffset();
        CRC32C crc = new CRC32C();
        try {
            for (long at = start; at < end; at += CHECKSUM_CHUNK_BYTES) {
                long chunk = Math.min(CHECKSUM_CHUNK_BYTES, end - at);
                crc.update(memory.asSlice(at, chunk).asByteBuffer());
                progress.update(at + chunk - start);
            }
        } finally {
            progress.done();
        }
        int computed = (int) crc.getValue();
        if (computed != slot.frozenChecksum()) {
            add(CommitSlotDescriptor.slotOffset(slot.generation()) + CommitSlotDescriptor.FROZEN_CHECKSUM_OFFSET,
                    "frozen region checksum mismatch: the commit slot says 0x" + Integer.toHexString(slot.frozenChecksum())
                            + ", the heap [0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ") gives 0x"
                            + Integer.toHexString(computed) + ": the frozen file was changed");
        }
        checked.add("frozen checksum");
    }

    private String typeName(int typeId) {
        return tables != null ? tables.typeName(typeId) : TypeIds.builtinName(typeId);
    }
}

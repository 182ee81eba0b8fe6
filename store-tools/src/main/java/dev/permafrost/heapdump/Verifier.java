package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.HeapWalker;
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
 *
 * <p>A header that does not describe a block (type id 0 or reserved, a user type id the type
 * table does not have, a block running past the bump offset) does not end the check: it starts
 * a {@linkplain Damage damaged range}, the walk restarts after it by
 * {@link HeapWalker#restartOffset} (with this class's {@linkplain Rules rules}), and every later
 * check runs on the blocks outside the damaged ranges. References and free-list links into a
 * damaged range are counted against it, not reported one by one; the committed counts, the
 * free blocks left off the lists and the leaks are not looked for (damage explains them), and
 * the objects lost are the committed live objects the walk did not find. Memory stays bounded
 * however many ranges a file holds: every range is counted (ranges, bytes, objects and
 * references lost), but only the first {@link #MAX_DAMAGED_RANGES} keep their details
 * ({@link DamagedRanges}).
 */
final class Verifier {
    /** One problem. */
    record Finding(long offset, String what) {
    }

    /**
     * One damaged range of the heap: no block of it could be read.
     *
     * @param startOffset the header the walk could not use
     * @param endOffset   where the walk restarted: a plausible block, or the bump offset
     * @param what        what was wrong with the header at {@code startOffset}
     */
    record Damage(long startOffset, long endOffset, String what) {
        /** {@return bytes of the range} */
        long bytes() {
            return endOffset - startOffset;
        }
    }

    /** Most findings kept (all are counted). */
    static final int MAX_FINDINGS = 10_000;
    /** Most damaged ranges whose details (start, end, what, references into it) are kept; all are counted. */
    static final int MAX_DAMAGED_RANGES = 10_000;
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
    private final int maxDamagedRanges;
    /** Filled by the walk: references from intact objects, tables and free lists into them are counted as later checks find them. */
    private DamagedRanges damage;
    private boolean allReferencesKnown = true;
    private long references;

    Verifier(StoreImage image) {
        this(image, MAX_DAMAGED_RANGES);
    }

    /**
     * Starts a check that keeps the details of at most {@code maxDamagedRanges} damaged ranges.
     *
     * @param image            the store
     * @param maxDamagedRanges most damaged ranges listed; every range is counted
     */
    Verifier(StoreImage image, int maxDamagedRanges) {
        this.maxDamagedRanges = maxDamagedRanges;
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
        if (damage.isEmpty()) {
            checkCounts();
        } else {
            notes.add("committed counts not compared with the heap: it has damaged ranges (the objects they held are counted as lost)");
        }
        checkFreeLists();
        checkReferences();
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

    /**
     * {@return the damaged ranges of the heap: all counted, the first {@link #MAX_DAMAGED_RANGES}
     * listed in address order, with the references from intact objects, the commit slot's
     * tables and the free lists into each}
     */
    DamagedRanges damage() {
        return damage;
    }

    /** {@return bytes of all the damaged ranges} */
    long bytesLost() {
        return damage.bytes();
    }

    /**
     * Returns the live objects lost in the damaged ranges: the committed count of live objects
     * less the live objects the walk found, when the store was closed cleanly (its commit
     * counts every live object); 0 when nothing is damaged.
     *
     * @return objects lost, or -1 if unknown (damage in a store not closed cleanly, whose
     *         commit does not count the objects it holds)
     */
    long objectsLost() {
        if (damage.isEmpty()) {
            return 0;
        }
        return slot.isClean() ? Math.max(0, slot.liveObjects() - census.liveObjects) : -1;
    }

    /** {@return whether a new finding would be kept (each is counted anyway)} */
    private boolean keepsFindings() {
        return findings.size() < MAX_FINDINGS;
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
        damage = new DamagedRanges(image.heapStartOffset(), image.bumpOffset(), maxDamagedRanges);
        boolean frozen = slot.isFrozen();
        HeapScan.walkResynchronising(image, progress, new Rules(), (offset, count, meta, blockBytes) -> {
            index.add(offset);
            census.block(offset, count, meta, blockBytes);
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
            TypeEntryDescriptor.TypeEntry entry = tables != null ? tables.entry(typeId) : null;
            if (entry != null && ObjectHeaderDescriptor.payloadBytes(meta) < entry.fixedBytes()) {
                add(offset, "payload of " + ObjectHeaderDescriptor.payloadBytes(meta) + " bytes is shorter than the "
                        + entry.fixedBytes() + "-byte fixed part of its type " + entry.name());
            }
            if (!refs.knows(typeId)) {
                allReferencesKnown = false;
            }
        }, (startOffset, endOffset, what) -> {
            damage.add(startOffset, endOffset, what);
            if (!keepsFindings()) {
                findingCount++; // counted; its text is not built
                return;
            }
            add(startOffset, "corrupt object header: " + what + "; damaged range [0x" + Long.toHexString(startOffset)
                    + ", 0x" + Long.toHexString(endOffset) + ") of " + (endOffset - startOffset) + " bytes, "
                    + (endOffset == image.bumpOffset() ? "up to the bump offset: no plausible block after it"
                    : "the walk restarted at the next plausible block"));
        });
        index.seal();
        if (damage.omitted() > 0) {
            notes.add(String.format("%,d damaged ranges were found; the first %,d are listed and %,d are left out "
                    + "(counted in the ranges, bytes, objects and references lost)", damage.count(), damage.kept().size(), damage.omitted()));
        }
        checked.add("every block header (" + census.blocks + " blocks)");
    }

    /**
     * What makes a header damaged or plausible in this store, beyond the layout: a type id must
     * be defined (built-in, or in the type table when there is one); a restart also needs a
     * count word the store's state allows (frozen: immortal or free; not frozen: not
     * negative) and a payload length its type allows (a whole number of array elements, at
     * least a struct's fixed part).
     */
    private final class Rules implements HeapWalker.HeaderRules {
        private final boolean frozen = slot.isFrozen();
        private final boolean hasTypeTable = tables != null && tables.typeTableOffset() != 0;

        @Override
        public String damage(long blockOffset, long countWord, long meta, long blockBytes) {
            int typeId = ObjectHeaderDescriptor.typeId(meta);
            if (typeId >= TypeIds.FIRST_USER_TYPE_ID) {
                return hasTypeTable && tables.descriptorOffset(typeId) == 0
                        ? "type id " + typeId + " has no entry in the type table (" + tables.typeCount() + " types)" : null;
            }
            return HeapWalker.reservedTypeProblem(typeId);
        }

        @Override
        public boolean plausible(long blockOffset, long countWord, long meta, long blockBytes) {
            if (damage(blockOffset, countWord, meta, blockBytes) != null) {
                return false;
            }
            boolean countFits = frozen
                    ? countWord == ObjectHeaderDescriptor.FREE_COUNT
                    || countWord < 0 && Math.abs(countWord - ObjectHeaderDescriptor.IMMORTAL_COUNT) <= IMMORTAL_TOLERANCE
                    : countWord >= 0;
            if (!countFits) {
                return false;
            }
            long payloadBytes = ObjectHeaderDescriptor.payloadBytes(meta);
            int typeId = ObjectHeaderDescriptor.typeId(meta);
            return switch (typeId) {
                case TypeIds.SHORT_ARRAY, TypeIds.CHAR_ARRAY -> payloadBytes % 2 == 0;
                case TypeIds.INT_ARRAY, TypeIds.FLOAT_ARRAY -> payloadBytes % 4 == 0;
                case TypeIds.LONG_ARRAY, TypeIds.DOUBLE_ARRAY -> payloadBytes % 8 == 0;
                case TypeIds.REFERENCE_ARRAY -> payloadBytes >= ArrayDescriptor.REFERENCES_OFFSET
                        && payloadBytes % ArrayDescriptor.REFERENCE_BYTES == 0;
                default -> {
                    TypeEntryDescriptor.TypeEntry entry = tables != null ? tables.entry(typeId) : null;
                    yield entry == null || payloadBytes >= entry.fixedBytes();
                }
            };
        }
    }

    /**
     * Counts a reference into a damaged range.
     *
     * @param target the reference
     * @return whether it points into one (and was counted)
     */
    private boolean intoDamage(long target) {
        return damage.countReference(target);
    }

    /**
     * Visits every block outside the damaged ranges, in address order, as the first walk found
     * them (each intact stretch of the heap is walked on its own); a visitor may throw
     * {@link HeapScan#STOP}.
     *
     * @param visitor receives each block
     */
    private void forEachIntactBlock(HeapScan.BlockVisitor visitor) {
        HeapWalker.BlockVisitor step = (offset, count, meta, blockBytes) -> {
            visitor.block(offset, count, meta, blockBytes);
            return true;
        };
        try {
            long end = image.bumpOffset();
            for (long from = image.heapStartOffset(); from < end; ) {
                long to = damage.nextDamagedOffset(from);
                HeapWalker.walk(memory, from, to, image.path(), step);
                from = damage.nextIntactOffset(to);
            }
        } catch (HeapScan.Stop stop) {
            // the visitor has seen enough
        }
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
                    if (intoDamage(block)) {
                        notes.add("free list of class " + c + " runs into a damaged range at 0x" + Long.toHexString(block)
                                + " (linked from 0x" + Long.toHexString(from) + "): the rest of it was not followed");
                    } else {
                        add(from, where + " is not the start of a block in the heap");
                    }
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
        if (!damage.isEmpty()) {
            notes.add("free blocks left off the free lists were not looked for: the heap has damaged ranges");
        } else if (!slot.isFrozen() && slot.isClean()) {
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
                if (intoDamage(target)) {
                    return;
                }
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
            forEachIntactBlock((offset, count, meta, blockBytes) -> {
                if (count != ObjectHeaderDescriptor.FREE_COUNT) {
                    refs.forEach(memory, offset, meta, sink);
                }
            });
        }
        // the commit slot's own references: the tables
        long slotAt = CommitSlotDescriptor.slotOffset(slot.generation());
        checkTableReference(slotAt + CommitSlotDescriptor.TYPE_TABLE_OFFSET, slot.typeTableOffset(), TypeIds.TYPE_TABLE);
        checkTableReference(slotAt + CommitSlotDescriptor.ROOT_TABLE_OFFSET, slot.rootTableOffset(), TypeIds.ROOT_TABLE);
        forEachIntactBlock((offset, count, meta, blockBytes) -> {
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
        if (!damage.isEmpty()) {
            notes.add("unreachable objects (leaks) were not looked for: an object may be reachable only through one in a damaged range");
            return;
        }
        checkReachability();
    }

    private void checkTableReference(long field, long target, int type) {
        if (target == 0 || !index.isBlockStart(target) && intoDamage(target)) {
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

package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Walks the heap block by block, from the heap start to the bump offset, using nothing but
 * the headers: every block's size follows from its meta word. Validates each header as it
 * goes, so a damaged heap is reported at the first bad block, never read past.
 *
 * <p>{@link #walk} stops at the first bad header. {@link #walkResynchronising} goes on after
 * one, the way Lucene's {@code CheckIndex} goes on after a broken segment: it reports the
 * damaged range and restarts at {@link #restartOffset}, the first 16-aligned offset after the
 * bad header where a plausible header starts a plausible chain ({@code docs/FORMAT.md},
 * "Walking a damaged heap"). Nothing in the format marks where the block after a bad header
 * starts (blocks tile the heap, a page boundary may fall inside a small one, and a file written
 * before the allocator kept every block of 64 KiB and more on a page boundary may hold one that
 * is not), so the restart is found by testing headers, never assumed.
 */
public final class HeapWalker {
    private HeapWalker() {
    }

    /** Receives each block of the heap. */
    @FunctionalInterface
    public interface BlockVisitor {
        /**
         * Returns {@code true} to go on, {@code false} to stop the walk.
         *
         * @param blockOffset bytes from the start of the file to the block's header
         * @param countWord   the reference-count word (0 for a free block)
         * @param meta        the meta word
         * @param blockBytes  the block's size, header included
         * @return {@code true} to go on, {@code false} to stop the walk
         */
        boolean visit(long blockOffset, long countWord, long meta, long blockBytes);
    }

    /** Blocks after a restart candidate that must also look like blocks (or end at the bump offset exactly). */
    public static final int CONFIRM_BLOCKS = 3;

    /**
     * What a reader knows about the headers of one heap beyond the layout itself (its type
     * table, whether it is frozen). The walker checks type id 0 and blocks running past the
     * bump offset itself, before it asks these rules.
     */
    public interface HeaderRules {
        /**
         * Returns what is wrong with a header that the walk reached (so that its size cannot be
         * trusted), or {@code null} if it describes a block.
         *
         * @param blockOffset bytes from the start of the file to the header
         * @param countWord   the reference-count word
         * @param meta        the meta word; its type id is not 0
         * @param blockBytes  the block's size, header included; the block ends at or before the bump offset
         * @return what is wrong, or {@code null}
         */
        String damage(long blockOffset, long countWord, long meta, long blockBytes);

        /**
         * Returns whether a header found by scanning, with no walk leading to it, could head a
         * block: at least {@link #damage} is {@code null}; rules may ask more (count word and
         * payload length consistent with the type), since a restart needs more evidence than
         * a step.
         *
         * @param blockOffset bytes from the start of the file to the header
         * @param countWord   the reference-count word
         * @param meta        the meta word; its type id is not 0
         * @param blockBytes  the block's size, header included; the block ends at or before the bump offset
         * @return whether the walk may restart there, as far as this header goes
         */
        boolean plausible(long blockOffset, long countWord, long meta, long blockBytes);
    }

    /**
     * The layout's rules alone: a header is damaged if its type id is reserved for built-in
     * kinds not yet defined ({@link TypeIds#REFERENCE_ARRAY} + 1 to
     * {@link TypeIds#FIRST_USER_TYPE_ID} - 1); any other header is plausible.
     */
    public static final HeaderRules LAYOUT_RULES = new HeaderRules() {
        @Override
        public String damage(long blockOffset, long countWord, long meta, long blockBytes) {
            return reservedTypeProblem(ObjectHeaderDescriptor.typeId(meta));
        }

        @Override
        public boolean plausible(long blockOffset, long countWord, long meta, long blockBytes) {
            return damage(blockOffset, countWord, meta, blockBytes) == null;
        }
    };

    /** Receives each damaged range of a {@linkplain #walkResynchronising resynchronising walk}. */
    @FunctionalInterface
    public interface DamageVisitor {
        /**
         * Called once per damaged range, in address order, between the blocks around it.
         *
         * @param startOffset the bad header: bytes from the start of the file
         * @param endOffset   where the walk restarts: the next plausible block, or the bump offset
         * @param what        what is wrong with the header at {@code startOffset}
         */
        void damaged(long startOffset, long endOffset, String what);
    }

    /**
     * Returns what is wrong with a type id of the reserved range, or {@code null}.
     *
     * @param typeId a type id
     * @return what is wrong, or {@code null} if the id is not reserved
     */
    public static String reservedTypeProblem(int typeId) {
        if (typeId > TypeIds.REFERENCE_ARRAY && typeId < TypeIds.FIRST_USER_TYPE_ID) {
            return "type id " + typeId + " is reserved (ids " + (TypeIds.REFERENCE_ARRAY + 1) + " to "
                    + (TypeIds.FIRST_USER_TYPE_ID - 1) + " are kept for built-in kinds)";
        }
        return null;
    }

    /**
     * Returns what the layout itself finds wrong with a header, or {@code null}: type id 0, or a
     * block running past the bump offset.
     *
     * @param blockOffset bytes from the start of the file to the header
     * @param meta        its meta word
     * @param endOffset   the bump offset
     * @return what is wrong, or {@code null}
     */
    public static String layoutProblem(long blockOffset, long meta, long endOffset) {
        if (ObjectHeaderDescriptor.typeId(meta) == TypeIds.INVALID) {
            return "type id 0 (meta word 0x" + Long.toHexString(meta) + ") below the bump offset 0x" + Long.toHexString(endOffset);
        }
        long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
        if (blockBytes > endOffset - blockOffset) {
            return "a block of " + blockBytes + " bytes (meta word 0x" + Long.toHexString(meta)
                    + ") runs past the bump offset 0x" + Long.toHexString(endOffset);
        }
        return null;
    }

    /**
     * Walks the heap and goes on after damage: each header the layout or {@code rules} reject
     * starts a damaged range, which ends at {@link #restartOffset}; the walk goes on from there.
     * Every byte of {@code [startOffset, endOffset)} is in exactly one visited block or one
     * damaged range, in address order. Never throws for the heap's contents.
     *
     * @param heap        memory holding the store from offset 0 (the mapping, or a copy)
     * @param startOffset the heap start
     * @param endOffset   the bump offset
     * @param rules       what else makes a header damaged, and what makes a restart plausible
     * @param visitor     receives each block outside the damaged ranges; {@code false} stops the walk
     * @param damage      receives each damaged range
     */
    public static void walkResynchronising(MemorySegment heap, long startOffset, long endOffset, HeaderRules rules,
                                           BlockVisitor visitor, DamageVisitor damage) {
        long offset = startOffset;
        while (offset < endOffset) {
            long count = heap.get(LONG, offset + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET);
            long meta = heap.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
            long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
            String problem = fitsLayout(offset, meta, blockBytes, endOffset)
                    ? rules.damage(offset, count, meta, blockBytes) : layoutProblem(offset, meta, endOffset);
            if (problem != null) {
                long restart = restartOffset(heap, offset, endOffset, rules);
                damage.damaged(offset, restart, problem);
                offset = restart;
                continue;
            }
            if (!visitor.visit(offset, count, meta, blockBytes)) {
                return;
            }
            offset += blockBytes;
        }
    }

    /**
     * The restart rule: the lowest 16-aligned offset {@code R} after {@code damagedOffset}
     * where a header is {@linkplain HeaderRules#plausible plausible} and so are the headers of
     * the next {@link #CONFIRM_BLOCKS} blocks its size chain leads to, unless the chain reaches
     * {@code endOffset} exactly before that; {@code endOffset} if there is no such offset.
     *
     * @param heap          memory holding the store from offset 0
     * @param damagedOffset a 16-aligned offset whose header cannot be used
     * @param endOffset     the bump offset
     * @param rules         what makes a header plausible
     * @return where the walk restarts, {@code damagedOffset} &lt; result &lt;= {@code endOffset}
     */
    public static long restartOffset(MemorySegment heap, long damagedOffset, long endOffset, HeaderRules rules) {
        for (long candidate = damagedOffset + StoreFormat.OBJECT_ALIGNMENT; candidate < endOffset;
             candidate += StoreFormat.OBJECT_ALIGNMENT) {
            if (startsPlausibleChain(heap, candidate, endOffset, rules)) {
                return candidate;
            }
        }
        return endOffset;
    }

    private static boolean fitsLayout(long blockOffset, long meta, long blockBytes, long endOffset) {
        return ObjectHeaderDescriptor.typeId(meta) != TypeIds.INVALID && blockBytes <= endOffset - blockOffset;
    }

    private static boolean startsPlausibleChain(MemorySegment heap, long candidate, long endOffset, HeaderRules rules) {
        long at = candidate;
        for (int i = 0; i <= CONFIRM_BLOCKS && at < endOffset; i++) {
            long count = heap.get(LONG, at + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET);
            long meta = heap.get(LONG, at + ObjectHeaderDescriptor.META_OFFSET);
            long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
            if (!fitsLayout(at, meta, blockBytes, endOffset) || !rules.plausible(at, count, meta, blockBytes)) {
                return false;
            }
            at += blockBytes;
        }
        return true;
    }

    /**
     * Called once per block, in address order.
     *
     * @param heap        memory holding the store from offset 0 (the mapping, or a copy)
     * @param startOffset the heap start
     * @param endOffset   the bump offset
     * @param file        the store file, for messages
     * @param visitor     receives each block in address order
     * @throws CorruptStoreException at the first header that does not describe a valid block
     */
    public static void walk(MemorySegment heap, long startOffset, long endOffset, Path file, BlockVisitor visitor) {
        long offset = startOffset;
        while (offset < endOffset) {
            long count = heap.get(LONG, offset + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET);
            long meta = heap.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
            int typeId = ObjectHeaderDescriptor.typeId(meta);
            long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
            if (typeId == TypeIds.INVALID) {
                throw new CorruptStoreException(file, offset, "block header with type id 0 (meta word 0x"
                        + Long.toHexString(meta) + ") below the bump offset 0x" + Long.toHexString(endOffset));
            }
            if (blockBytes > endOffset - offset) {
                throw new CorruptStoreException(file, offset, "block of " + blockBytes
                        + " bytes runs past the bump offset 0x" + Long.toHexString(endOffset));
            }
            if (!visitor.visit(offset, count, meta, blockBytes)) {
                return;
            }
            offset += blockBytes;
        }
    }
}
